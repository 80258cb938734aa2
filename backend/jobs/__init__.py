"""The server's background jobs: one leader across processes runs every job that is due."""
