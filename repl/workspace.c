/* workspace.c — the learner's exercise files; see workspace.h. */
#include "repl/workspace.h"
#include "engine/base/files.h"
#include "engine/store.h"
#include "engine/base/sbuf.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *workspace_dir(void)
{
	const char *w = getenv("BACKLAB_WORKSPACE");
	if (w && *w)
		return xstrdup(w);
	const char *x = getenv("XDG_DATA_HOME");
	if (x && *x == '/')
		return xasprintf("%s/backlab/workspace", x);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/backlab/workspace", home && *home ? home : ".");
}

char *workspace_path(const struct lesson *l, const struct exercise *e)
{
	char *dir = workspace_dir();
	char *p = xasprintf("%s/%s/%s.lua", dir, l->id, e->id);
	free(dir);
	return p;
}

char *workspace_prepare(const struct lesson *l, const struct exercise *e, bool *created,
			char **err)
{
	char *path = workspace_path(l, e);
	*created = false;
	if (access(path, F_OK) == 0)
		return path;
	char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	int failed = files_mkdirs(dir, 0755, NULL);
	free(dir);
	if (failed) {
		*err = xasprintf("cannot create the folder for %s: %s", path, strerror(failed));
		free(path);
		return NULL;
	}
	FILE *f = fopen(path, "wx"); /* never overwrite */
	if (!f) {
		if (errno == EEXIST)
			return path;
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	const char *starter = e->starter.text ? e->starter.text : "";
	fputs(starter, f);
	if (fclose(f) != 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	*created = true;
	return path;
}

/* Where the file of E is kept under STAMP (new string). */
static char *kept_path(const struct lesson *l, const struct exercise *e, int64_t stamp)
{
	char *dir = workspace_dir();
	char *p = xasprintf("%s/.kept/%lld/%s/%s.lua", dir, (long long)stamp, l->id, e->id);
	free(dir);
	return p;
}

/* Whether the file at PATH holds exactly the starter of E. */
static bool is_starter(const char *path, const struct exercise *e)
{
	size_t len;
	char *why = NULL;
	char *text = files_read(path, STORE_MAX_SUBMISSION, &len, &why);
	free(why);
	const char *starter = e->starter.text ? e->starter.text : "";
	bool same = text && len == strlen(starter) && memcmp(text, starter, len) == 0;
	free(text);
	return same;
}

/* Moves FROM to TO, creating TO's folder. 0, or -1 with *ERR. */
static int move_file(const char *from, const char *to, char **err)
{
	char *dir = xstrndup(to, (size_t)(strrchr(to, '/') - to));
	int failed = files_mkdirs(dir, 0755, NULL);
	free(dir);
	if (failed || rename(from, to) != 0) {
		*err = xasprintf("cannot move %s to %s: %s", from, to,
				 strerror(failed ? failed : errno));
		return -1;
	}
	return 0;
}

/* Writes the starter of E to PATH. 0, or -1 with *ERR. */
static int write_starter(const char *path, const struct exercise *e, char **err)
{
	FILE *f = fopen(path, "w");
	const char *starter = e->starter.text ? e->starter.text : "";
	if (!f || fputs(starter, f) < 0 || fclose(f) != 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int workspace_set_aside(const struct lesson *l, const struct exercise *e, int64_t stamp,
			char **err)
{
	char *path = workspace_path(l, e);
	int rc = 0;
	if (access(path, F_OK) == 0 && !is_starter(path, e)) {
		char *kept = kept_path(l, e, stamp);
		rc = move_file(path, kept, err) == 0 && write_starter(path, e, err) == 0 ? 1 : -1;
		free(kept);
	}
	free(path);
	return rc;
}

int workspace_bring_back(const struct lesson *l, const struct exercise *e, int64_t stamp,
			 int64_t now, bool *displaced, char **err)
{
	char *path = workspace_path(l, e), *kept = kept_path(l, e, stamp);
	int rc = 0;
	*displaced = false;
	if (access(kept, F_OK) == 0) {
		rc = 1;
		if (access(path, F_OK) == 0 && !is_starter(path, e)) {
			char *aside = kept_path(l, e, now);
			rc = move_file(path, aside, err) == 0 ? 1 : -1;
			*displaced = rc == 1;
			free(aside);
		}
		if (rc == 1 && move_file(kept, path, err) != 0)
			rc = -1;
		/* the emptied folders of the kept copy, up to .kept (best effort) */
		for (char *slash; rc == 1 && (slash = strrchr(kept, '/')) && !strstr(slash, "/.kept");) {
			*slash = '\0';
			if (rmdir(kept) != 0)
				break;
		}
	}
	free(path);
	free(kept);
	return rc;
}

char *workspace_read(const char *path, char **err)
{
	char *why = NULL;
	char *text = files_read(path, STORE_MAX_SUBMISSION, NULL, &why);
	if (!text) {
		*err = xasprintf("%s: %s", path, why);
		free(why);
	}
	return text;
}

int workspace_open_editor(const char *path, char **err)
{
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed) {
		*err = xstrdup("no $VISUAL or $EDITOR is set");
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		*err = xasprintf("cannot start %s: %s", ed, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		/* the editor may be a command with arguments, as git allows */
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		*err = xasprintf("cannot start the editor '%s'", ed);
		return -1;
	}
	return 0;
}

int workspace_wait_change(const char *path, volatile sig_atomic_t *stop, char **err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *name = slash ? slash + 1 : path;
	if (slash)
		*slash = '\0';
	int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd < 0 || inotify_add_watch(fd, slash ? dir : ".",
					IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
		*err = xasprintf("cannot watch %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(dir);
		return -1;
	}
	int rc = 0;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	while (!*stop && rc == 0) {
		struct pollfd p = {fd, POLLIN, 0};
		int r = poll(&p, 1, 250); /* the timeout only re-reads *stop */
		if (r <= 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf);
		for (ssize_t off = 0; off < n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(buf + off);
			if (ev->len && strcmp(ev->name, name) == 0)
				rc = 1;
			off += (ssize_t)(sizeof *ev + ev->len);
		}
	}
	if (rc == 1) { /* editors write in several steps: let them finish */
		usleep(100 * 1000);
		while (read(fd, buf, sizeof buf) > 0)
			;
	}
	close(fd);
	free(dir);
	return rc;
}
