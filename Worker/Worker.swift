// Worker lives here.
