#ifndef LAZYRABBIT_CCURL_SHIM_H
#define LAZYRABBIT_CCURL_SHIM_H
#include <curl/curl.h>
#endif
