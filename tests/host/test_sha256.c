/* tests/host/test_sha256.c: SHA-256, the build cache's addresses, against the
 * test vectors of FIPS 180-4's examples, across block boundaries. */
#include <string.h>

#include "sha256.h"
#include "tap.h"

static void check(const char *msg, size_t repeat, const char *want, const char *name)
{
    struct sha256 s;
    char hex[SHA256_HEX_SIZE];

    sha256_init(&s);
    for (size_t i = 0; i < repeat; i++)
        sha256_update(&s, msg, strlen(msg));
    sha256_hex(&s, hex);
    tap_is_str(hex, want, name);
}

int main(void)
{
    check("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "empty");
    check("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc");
    check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
          "448 bits: padding spills into a second block");
    check("a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
          "a million a's, one byte at a time");
    check("0123456701234567012345670123456701234567012345670123456701234567", 10,
          "594847328451bdfa85056225462cc1d867d877fb388df0ce35f25ab5562bfbb5",
          "640 bytes, whole blocks at a time");
    return tap_done();
}
