#ifndef LAZYRABBIT_CRABBITMQ_SHIM_H
#define LAZYRABBIT_CRABBITMQ_SHIM_H
// Debian 12 ships librabbitmq 0.11 with flat headers; newer releases use <rabbitmq-c/...>.
#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/tcp_socket.h>
#else
#include <amqp.h>
#include <amqp_tcp_socket.h>
#endif
#endif
