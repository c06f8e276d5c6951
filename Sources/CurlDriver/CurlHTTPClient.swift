// The HTTP client over libcurl lives here.
