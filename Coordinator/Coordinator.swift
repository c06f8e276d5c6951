// Coordinator lives here.
