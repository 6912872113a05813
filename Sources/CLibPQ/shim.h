// The one header Swift imports for libpq. Include paths come from pkg-config (`libpq`).
#include <libpq-fe.h>
