#ifndef LAZYRABBIT_CHIREDIS_SHIM_H
#define LAZYRABBIT_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
