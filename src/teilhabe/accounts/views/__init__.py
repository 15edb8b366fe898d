"""Pages about accounts: login (password, then second factor), staff, password reset."""
