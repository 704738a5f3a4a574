/*
 * embed.c — turn a file into a C string constant for the build.
 *
 *   embed NAME FILE > out.c
 *
 * writes `const char NAME[]` holding FILE's bytes plus a terminating NUL,
 * and `const unsigned long NAME_len` with the byte count (NUL excluded).
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: embed NAME FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	printf("/* generated from %s by mk/embed.c; do not edit */\n", argv[2]);
	/* bytes as char values: those above 127 are written as the negative
	 * numbers a signed char holds, or as is for an unsigned char */
	printf("const char %s[] = {", argv[1]);
	unsigned long n = 0;
	int c;
	while ((c = getc(f)) != EOF) {
		printf("%s(char)%d,", n % 12 ? "" : "\n", c);
		n++;
	}
	printf("0};\nconst unsigned long %s_len = %lu;\n", argv[1], n);
	fclose(f);
	return ferror(stdout) ? 1 : 0;
}
