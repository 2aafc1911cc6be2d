-- 0014 support desk: tickets between a customer and the admin group, the forum topic of each
-- customer, and which message on either side belongs to which ticket (so replies find their ticket).
-- SQL lives in bot/storage/tickets.py; rules in bot/domain/support.py. Times are ISO UTC text.

CREATE TABLE support_tickets (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    order_id         INTEGER REFERENCES orders(id),    -- the order the customer asked about, if any
    opened_at        TEXT NOT NULL,
    waiting_since    TEXT,                             -- oldest customer message not answered yet; NULL: answered
    reminded         INTEGER NOT NULL DEFAULT 0 CHECK (reminded IN (0, 1)),  -- for this wait
    first_answer_at  TEXT,
    closed_at        TEXT,
    closed_by        INTEGER                           -- admin id
);
-- a customer has at most one open ticket, whatever the handlers do
CREATE UNIQUE INDEX support_tickets_one_open ON support_tickets(user_id) WHERE status = 'open';
CREATE INDEX support_tickets_opened ON support_tickets(opened_at);

-- One forum topic per customer and admin group, reused by their later tickets (closed, then reopened).
CREATE TABLE support_topics (
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    thread_id   INTEGER NOT NULL,
    name        TEXT NOT NULL,
    closed      INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (chat_id, user_id),
    UNIQUE (chat_id, thread_id)
);

-- Every message a relay made or carried, on both sides: the customer's own, its copy (and header)
-- in the group, the admin's answer and what the customer received.
CREATE TABLE support_messages (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES support_tickets(id),
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,     -- customer | copy | header | card | answer | delivered | notice
    author_id   INTEGER,           -- who wrote it (customer or admin id)
    created_at  TEXT NOT NULL,
    UNIQUE (chat_id, message_id)
);
CREATE INDEX support_messages_ticket ON support_messages(ticket_id, id);
