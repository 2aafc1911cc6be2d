-- 0015 favourites: services a customer starred (⭐ on a service card). A service that is hidden or
-- no longer listed stays starred but is not shown; it shows again when it comes back.
CREATE TABLE favourites (
    user_id     INTEGER NOT NULL,
    panel       TEXT NOT NULL,
    service_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, panel, service_id)
);
