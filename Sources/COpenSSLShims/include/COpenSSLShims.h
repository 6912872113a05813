#ifndef COPENSSLSHIMS_H
#define COPENSSLSHIMS_H
#include <openssl/ssl.h>
#include <openssl/bio.h>

// Macros over SSL_CTX_ctrl / SSL_ctrl / SSL_CTX_callback_ctrl: Swift cannot import function-like macros.
long COpenSSLShims_SSL_CTX_set_tlsext_servername_callback(SSL_CTX *ctx, int (*cb)(SSL *, int *, void *));
long COpenSSLShims_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
long COpenSSLShims_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version);
long COpenSSLShims_SSL_CTX_set_mode(SSL_CTX *ctx, long mode);
long COpenSSLShims_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list);
long COpenSSLShims_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *cert);
long COpenSSLShims_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode);
long COpenSSLShims_SSL_set_tlsext_host_name(SSL *ssl, const char *name);

// SSL_OP_* are built with the SSL_OP_BIT(n) shift macro, which does not import as a constant.
uint64_t COpenSSLShims_SSL_OP_NO_COMPRESSION(void);
uint64_t COpenSSLShims_SSL_OP_NO_RENEGOTIATION(void);
uint64_t COpenSSLShims_SSL_OP_CIPHER_SERVER_PREFERENCE(void);
uint64_t COpenSSLShims_SSL_OP_NO_TICKET(void);

#endif
