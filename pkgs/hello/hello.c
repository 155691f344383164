/* pkgs/hello/hello.c: the smallest package: greets, lists its arguments, and
 * exits with a status, so a boot can show a program ran and how it ended. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    printf("hello from %s\n", argc > 0 ? argv[0] : "(no name)");
    for (int i = 1; i < argc; i++)
        printf("  argv[%d] = %s\n", i, argv[i]);
    return argc > 1 ? atoi(argv[argc - 1]) & 0x7f : 0;
}
