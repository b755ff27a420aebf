// Bulletin tests follow.
