/*
 * notls.c — lets the release build link libmicrohttpd statically without GnuTLS.
 *
 * Debian's libmicrohttpd is built with HTTPS support, so its archive refers to GnuTLS, which would
 * pull GnuTLS and its eight dependencies into the binary and their relocations and constructors
 * into every start. awssim serves plain HTTP only (it never passes MHD_USE_TLS), so MHD never calls
 * these; they are defined here so the static link resolves without GnuTLS. The library's own
 * global init/deinit (run by MHD's constructor) succeed and do nothing; anything else aborts loudly.
 * Only the static release link uses this file (Makefile: STATIC_OBJ), never a build that also
 * loads the real GnuTLS.
 */
#include <stdio.h>
#include <stdlib.h>

int gnutls_global_init(void);
void gnutls_global_deinit(void);
void *gnutls_malloc;

int gnutls_global_init(void) {
    return 0;
}

void gnutls_global_deinit(void) {}

static void no_tls(const char *fn) {
    fprintf(stderr, "awssim: %s called, but this build has no TLS\n", fn);
    abort();
}

#define NO_TLS(name)                                                                                         \
    void name(void);                                                                                         \
    void name(void) {                                                                                        \
        no_tls(#name);                                                                                       \
    }

NO_TLS(gnutls_alpn_set_protocols)
NO_TLS(gnutls_bye)
NO_TLS(gnutls_certificate_allocate_credentials)
NO_TLS(gnutls_certificate_free_credentials)
NO_TLS(gnutls_certificate_server_set_request)
NO_TLS(gnutls_certificate_set_dh_params)
NO_TLS(gnutls_certificate_set_retrieve_function2)
NO_TLS(gnutls_certificate_set_retrieve_function3)
NO_TLS(gnutls_certificate_set_x509_key_mem)
NO_TLS(gnutls_certificate_set_x509_key_mem2)
NO_TLS(gnutls_certificate_set_x509_trust_mem)
NO_TLS(gnutls_cipher_get)
NO_TLS(gnutls_credentials_set)
NO_TLS(gnutls_deinit)
NO_TLS(gnutls_dh_params_deinit)
NO_TLS(gnutls_dh_params_import_pkcs3)
NO_TLS(gnutls_dh_params_init)
NO_TLS(gnutls_handshake)
NO_TLS(gnutls_init)
NO_TLS(gnutls_priority_deinit)
NO_TLS(gnutls_priority_init)
NO_TLS(gnutls_priority_set)
NO_TLS(gnutls_protocol_get_version)
NO_TLS(gnutls_psk_allocate_server_credentials)
NO_TLS(gnutls_psk_free_server_credentials)
NO_TLS(gnutls_psk_set_server_credentials_function)
NO_TLS(gnutls_record_check_pending)
NO_TLS(gnutls_record_get_direction)
NO_TLS(gnutls_record_recv)
NO_TLS(gnutls_record_send)
NO_TLS(gnutls_session_get_ptr)
NO_TLS(gnutls_session_set_ptr)
NO_TLS(gnutls_strerror)
NO_TLS(gnutls_transport_set_int2)
