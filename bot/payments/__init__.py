"""Payment methods: the one interface every top-up method fits (methods.py) and provider clients (cryptopay.py)."""
