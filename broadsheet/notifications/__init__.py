"""Reply notifications: who wants mail when someone answers them, and sending it."""
