/*
 * client_cert_shim.c: LD_PRELOAD library that lets OpenSSL-based load generators (wrk, h2load), which have
 * no client-certificate option, take part in mutual TLS. Built by run.sh:
 *     gcc -O2 -shared -fPIC -o client_cert_shim.so client_cert_shim.c -ldl -lssl -lcrypto
 *
 * Environment:
 *   LPA_CLIENT_CERT   PEM certificate (chain) presented to the server (required)
 *   LPA_CLIENT_KEY    PEM private key (default: LPA_CLIENT_CERT)
 *   LPA_FULL_HANDSHAKE=1  forget the previous session before each handshake: every connection is a full
 *                     handshake (wrk reuses its SSL objects, so "Connection: close" otherwise resumes)
 *   LPA_SHIM_STATS=FILE   at exit, append "handshakes=N resumed=M" for the handshakes made via SSL_connect
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

static __thread int nested;
static unsigned long completed, resumed;

static void present_certificate(SSL_CTX *ctx) {
    const char *cert = getenv("LPA_CLIENT_CERT");
    const char *key = getenv("LPA_CLIENT_KEY");
    if (ctx == NULL || cert == NULL) {
        return;
    }
    if (key == NULL) {
        key = cert;
    }
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1
            || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1
            || SSL_CTX_check_private_key(ctx) != 1) {
        fprintf(stderr, "client_cert_shim: cannot use %s with key %s\n", cert, key);
        ERR_print_errors_fp(stderr);
        exit(2);
    }
}

/* Contexts made inside another SSL_CTX_new (OpenSSL calls itself) are left alone. */
SSL_CTX *SSL_CTX_new_ex(OSSL_LIB_CTX *libctx, const char *propq, const SSL_METHOD *method) {
    static SSL_CTX *(*next)(OSSL_LIB_CTX *, const char *, const SSL_METHOD *);
    if (next == NULL) {
        next = (SSL_CTX *(*)(OSSL_LIB_CTX *, const char *, const SSL_METHOD *)) dlsym(RTLD_NEXT, "SSL_CTX_new_ex");
    }
    int outermost = nested++ == 0;
    SSL_CTX *ctx = next(libctx, propq, method);
    nested--;
    if (outermost) {
        present_certificate(ctx);
    }
    return ctx;
}

SSL_CTX *SSL_CTX_new(const SSL_METHOD *method) {
    static SSL_CTX *(*next)(const SSL_METHOD *);
    if (next == NULL) {
        next = (SSL_CTX *(*)(const SSL_METHOD *)) dlsym(RTLD_NEXT, "SSL_CTX_new");
    }
    int outermost = nested++ == 0;
    SSL_CTX *ctx = next(method);
    nested--;
    if (outermost) {
        present_certificate(ctx);
    }
    return ctx;
}

int SSL_connect(SSL *ssl) {
    static int (*next)(SSL *);
    static int full = -1;
    if (next == NULL) {
        next = (int (*)(SSL *)) dlsym(RTLD_NEXT, "SSL_connect");
    }
    if (full < 0) {
        const char *value = getenv("LPA_FULL_HANDSHAKE");
        full = value != NULL && strcmp(value, "1") == 0;
    }
    if (full && SSL_in_before(ssl)) {
        SSL_set_session(ssl, NULL);
    }
    int result = next(ssl);
    if (result == 1) {
        __atomic_add_fetch(&completed, 1, __ATOMIC_RELAXED);
        if (SSL_session_reused(ssl)) {
            __atomic_add_fetch(&resumed, 1, __ATOMIC_RELAXED);
        }
    }
    return result;
}

__attribute__((destructor)) static void report(void) {
    const char *file = getenv("LPA_SHIM_STATS");
    if (file == NULL) {
        return;
    }
    FILE *out = fopen(file, "a");
    if (out != NULL) {
        fprintf(out, "handshakes=%lu resumed=%lu\n", completed, resumed);
        fclose(out);
    }
}
