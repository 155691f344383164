/* tests/guest/programs/echo_line.c: reads one line from standard input and
 * prints it back, so a test can type into the console (not run by all). */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[256];

    printf("echo_line: type a line\n");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) {
        printf("echo_line: no input\n");
        return 1;
    }
    line[strcspn(line, "\r\n")] = '\0';
    printf("echo_line: got '%s'\n", line);
    return 0;
}
