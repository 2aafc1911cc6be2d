-- Conversation persistence for python-telegram-bot (bot/telegram/persistence.py, SQL in
-- bot/storage/conversations.py). Values are JSON text. No foreign keys to users: PTB keeps data for
-- chats and users (admin group, first contact) that the users table may not have yet.
CREATE TABLE persisted_user_data (
    user_id     INTEGER PRIMARY KEY,
    data        TEXT NOT NULL,                   -- JSON object: context.user_data
    updated_at  TEXT NOT NULL
);

CREATE TABLE persisted_chat_data (
    chat_id     INTEGER PRIMARY KEY,
    data        TEXT NOT NULL,                   -- JSON object: context.chat_data
    updated_at  TEXT NOT NULL
);

CREATE TABLE conversation_states (
    name        TEXT NOT NULL,                   -- ConversationHandler name
    key         TEXT NOT NULL,                   -- JSON array: (chat_id, user_id) or as configured
    state       TEXT NOT NULL,                   -- JSON value: the conversation's state
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (name, key)
);
