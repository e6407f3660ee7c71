/*
 * Locating and inspecting the program to record (see record_program.h).
 * Inspection reads only the ELF header and program headers: PT_INTERP is
 * what makes the dynamic loader, and so LD_PRELOAD, take part.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record_program.h"

enum elf_kind { ELF_DYNAMIC, ELF_STATIC, ELF_FOREIGN, ELF_SCRIPT, ELF_UNKNOWN };

static int read_at(int fd, void *buf, size_t n, off_t off)
{
	ssize_t r = pread(fd, buf, n, off);
	return r == (ssize_t)n ? 0 : -1;
}

/* Classifies path; for a script, copies its interpreter path into interp. */
static enum elf_kind elf_classify(const char *path, char *interp, size_t interp_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ELF_UNKNOWN;
	unsigned char head[256] = { 0 };
	ssize_t n = pread(fd, head, sizeof head - 1, 0);
	enum elf_kind kind = ELF_UNKNOWN;
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		const char *p = (const char *)head + 2;
		p += strspn(p, " \t");
		size_t len = strcspn(p, " \t\n");
		if (len > 0 && len < interp_len) {
			memcpy(interp, p, len);
			interp[len] = '\0';
			kind = ELF_SCRIPT;
		}
	} else if (n >= (ssize_t)sizeof(Elf64_Ehdr) && memcmp(head, ELFMAG, SELFMAG) == 0) {
		Elf64_Ehdr eh;
		memcpy(&eh, head, sizeof eh);
		kind = ELF_FOREIGN;
		Elf64_Ehdr self;
		int sfd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		bool same = sfd >= 0 && read_at(sfd, &self, sizeof self, 0) == 0 &&
			    self.e_ident[EI_CLASS] == eh.e_ident[EI_CLASS] &&
			    self.e_ident[EI_DATA] == eh.e_ident[EI_DATA] &&
			    self.e_machine == eh.e_machine && eh.e_ident[EI_CLASS] == ELFCLASS64;
		if (sfd >= 0)
			close(sfd);
		if (same) {
			kind = ELF_STATIC;
			for (unsigned i = 0; i < eh.e_phnum; i++) {
				Elf64_Phdr ph;
				if (read_at(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) < 0) {
					kind = ELF_UNKNOWN;
					break;
				}
				if (ph.p_type == PT_INTERP) {
					kind = ELF_DYNAMIC;
					break;
				}
			}
		}
	}
	close(fd);
	return kind;
}

/* Checks that path names an executable regular file. */
static int check_executable(const char *path, const char *name, struct record_err *e)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return record_err_set(e, "%s: %s", name, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return record_err_set(e, "%s: is a directory", name);
	if (!S_ISREG(st.st_mode))
		return record_err_set(e, "%s: not a regular file", name);
	if (access(path, X_OK) < 0)
		return record_err_set(e, "%s: not executable (%s)", name, strerror(errno));
	return 0;
}

int record_program_find(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t dl = strcspn(path, ":");
		int n = snprintf(out, len, "%.*s%s%s", (int)dl, dl ? path : "",
				 dl ? "/" : "", name);
		if (n > 0 && (size_t)n < len && access(out, X_OK) == 0) {
			struct stat st;
			if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
				return 0;
		}
		path += dl;
		if (*path == ':')
			path++;
	}
	return -1;
}

int record_program_resolve(const char *name, struct record_program *p, struct record_err *e)
{
	*p = (struct record_program){ 0 };
	if (strchr(name, '/')) {
		if (snprintf(p->path, sizeof p->path, "%s", name) >= (int)sizeof p->path)
			return record_err_set(e, "%s: path too long", name);
	} else if (record_program_find(name, p->path, sizeof p->path) < 0) {
		return record_err_set(e, "%s: command not found", name);
	}
	if (check_executable(p->path, name, e) < 0)
		return -1;

	char interp[PATH_MAX] = "";
	enum elf_kind kind = elf_classify(p->path, interp, sizeof interp);
	if (kind == ELF_SCRIPT) {
		/* The kernel runs the interpreter: that is what gets preloaded. */
		char dummy[PATH_MAX];
		kind = elf_classify(interp, dummy, sizeof dummy);
		if (kind == ELF_SCRIPT)
			kind = ELF_DYNAMIC;   /* nested interpreters: assume the usual */
		else if (kind == ELF_UNKNOWN)
			return record_err_set(e, "%s: bad interpreter '%s'", name, interp);
	}
	switch (kind) {
	case ELF_DYNAMIC:
		p->instrumentable = true;
		return 0;
	case ELF_STATIC:
		snprintf(p->why_not, sizeof p->why_not, "statically linked");
		return 0;
	case ELF_FOREIGN:
		snprintf(p->why_not, sizeof p->why_not, "built for another architecture or ELF class");
		return 0;
	default:
		return record_err_set(e, "%s: not an executable the kernel can run (neither ELF nor #! script)", name);
	}
}
