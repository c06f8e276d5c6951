// Embedded runtime lives here.
