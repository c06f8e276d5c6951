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
#include <stdint.h>

// Swift cannot call the variadic amqp_login: a typed shim for SASL PLAIN.
static inline amqp_rpc_reply_t lr_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                   int channel_max, int frame_max, int heartbeat,
                                                   const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

// Method ids are macros with casts, which Swift does not import: typed constants instead.
static const amqp_method_number_t LR_AMQP_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t LR_AMQP_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t LR_AMQP_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t LR_AMQP_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t LR_AMQP_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t LR_AMQP_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t LR_AMQP_CHANNEL_CLOSE_OK = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const amqp_method_number_t LR_AMQP_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t LR_AMQP_CONNECTION_CLOSE_OK = AMQP_CONNECTION_CLOSE_OK_METHOD;

// Property flags, typed (the macros import as Int32).
static const amqp_flags_t LR_AMQP_FLAG_HEADERS = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t LR_AMQP_FLAG_DELIVERY_MODE = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t LR_AMQP_FLAG_EXPIRATION = AMQP_BASIC_EXPIRATION_FLAG;
static const amqp_flags_t LR_AMQP_FLAG_MESSAGE_ID = AMQP_BASIC_MESSAGE_ID_FLAG;

// Sends channel.close-ok / connection.close-ok after the server closed a channel or the connection.
static inline int lr_amqp_send_channel_close_ok(amqp_connection_state_t state, amqp_channel_t channel) {
    amqp_channel_close_ok_t ok = {0};
    return amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
}
static inline int lr_amqp_send_connection_close_ok(amqp_connection_state_t state) {
    amqp_connection_close_ok_t ok = {0};
    return amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
}
#endif
