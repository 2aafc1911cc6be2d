"""PTB infrastructure every chat feature stands on (wired by bot/app.py).

persistence.py  user_data / chat_data / conversation states on the bot's SQLite database
errors.py       the error handler: redacted traceback to ADMIN_CHAT_ID, a polite line to the customer
redact.py       secrets out of logs and messages; logs.py: one redacted line per event
antiflood.py    per-customer flood guard (group -1)
language.py     which language to answer a customer in
notify.py       background pushes (`send_to_user`), marking customers who blocked the bot
hooks.py        per-Application plug lists one feature fills for another (Balance buttons, /stats sections)
"""
