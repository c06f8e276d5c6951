// The PostgresDriver lives here.
