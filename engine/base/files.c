/* files.c — directories and whole files; see files.h. */
#include "engine/base/files.h"
#include "engine/base/sbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* What a file of mode MODE is, for a message, if it is not a regular file. */
static const char *kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a FIFO (named pipe)";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a regular file";
}

int files_open_regular(const char *path, char **err)
{
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*err = xasprintf("cannot read the file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = xasprintf("cannot read the file: it is %s, not a regular file",
				 kind_of(st.st_mode));
		close(fd);
		return -1;
	}
	/* reads of a regular file do not block anyway; plain flags for stdio */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

int files_create_regular(const char *path, mode_t mode, char **err)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		*err = xasprintf("cannot write the file: it is %s, not a regular file",
				 kind_of(st.st_mode));
		return -1;
	}
	/* O_NONBLOCK: should a FIFO appear in between, opening it for writing
	 * fails (ENXIO) instead of waiting for a reader */
	int fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode);
	if (fd < 0 || fstat(fd, &st) != 0) {
		*err = xasprintf("cannot write the file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || ftruncate(fd, 0) != 0) {
		*err = !S_ISREG(st.st_mode)
			   ? xasprintf("cannot write the file: it is %s, not a regular file",
				       kind_of(st.st_mode))
			   : xasprintf("cannot write the file: %s", strerror(errno));
		close(fd);
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

char *files_read(const char *path, size_t max, size_t *len, char **err)
{
	int fd = files_open_regular(path, err);
	if (fd < 0)
		return NULL;
	struct sbuf sb = SBUF_INIT;
	char chunk[16384];
	ssize_t n;
	int saved = 0;
	while (sb.len <= max) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			saved = errno;
		if (n <= 0)
			break;
		sbuf_add(&sb, chunk, (size_t)n);
	}
	close(fd);
	if (saved || sb.len > max) {
		*err = saved ? xasprintf("cannot read the file: %s", strerror(saved))
			     : xasprintf("the file is larger than %zu KiB", max >> 10);
		sbuf_free(&sb);
		return NULL;
	}
	if (len)
		*len = sb.len;
	return sbuf_detach(&sb);
}
