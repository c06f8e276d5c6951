// The SQLite execution store lives here.
