#ifndef LAZYRABBIT_CLIBPQ_SHIM_H
#define LAZYRABBIT_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
