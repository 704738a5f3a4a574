/* files.c — directories and whole files; see files.h. */
#include "engine/base/files.h"
#include "engine/base/sbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool files_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int files_mkdirs(const char *path, mode_t mode, char **failed)
{
	char *p = xstrdup(path);
	int err = 0;
	for (char *q = p + 1;; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char c = *q;
		*q = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST)
			err = errno;
		else if (!files_is_dir(p))
			err = ENOTDIR;
		if (err || c == '\0') {
			if (err && failed)
				*failed = xstrdup(p);
			break;
		}
		*q = c;
	}
	free(p);
	return err;
}

char *files_read(const char *path, size_t max, size_t *len, char **err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*err = xasprintf("cannot read the file: %s", strerror(errno));
		return NULL;
	}
	struct sbuf sb = SBUF_INIT;
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && sb.len <= max)
		sbuf_add(&sb, chunk, n);
	int bad = ferror(f), saved = errno;
	fclose(f);
	if (bad || sb.len > max) {
		*err = bad ? xasprintf("cannot read the file: %s", strerror(saved))
			   : xasprintf("the file is larger than %zu KiB", max >> 10);
		sbuf_free(&sb);
		return NULL;
	}
	if (len)
		*len = sb.len;
	return sbuf_detach(&sb);
}
