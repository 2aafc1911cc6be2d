"""The shared async adapter for SMM panels speaking HTTP API v2. Knows nothing of the database."""
