/* smallobj.c — an independent minimal kernel for small-object contention,
 * and the diagnostic behind the README's "Why tcmalloc's small objects slow
 * down under threads".
 *
 * It shares no code with contend (no runner, no hwloc): N threads pinned
 * with sched_setaffinity sleep until a round starts, then each
 * loops malloc(SIZE), a 16-byte struct assignment into it, a read, free,
 * until a stop flag. Per thread it records the distinct addresses the timed
 * loop received, and reports how many 64-byte cache lines more than one
 * thread touched — the direct evidence of false sharing between objects
 * handed to different threads. Under a preloaded tcmalloc it also prints
 * MallocExtension's statistics (read via dlsym, as allocators/tcmalloc.c
 * does).
 *
 * One factor at a time can be varied (see usage()): how long workers live
 * (created once, or new ones per repetition), a warm-up of the allocator on
 * each worker before the timed loop, prior allocations on the main thread,
 * and where the per-thread counters live (own padded slot, or a small heap
 * block next to the objects).
 *
 * Output: a "# smallobj ..." line naming the conditions, then one line per
 * repetition,
 *   rep=R threads=N ns_op=X,Y,... [thread_cache_bytes=B] shared_lines=L addrs=T0:A;T1:B
 * (ns_op nan: that worker never ran in the window; thread_cache_bytes: what
 * tcmalloc's thread caches held, all threads, read during the window)
 * and, with -q, only the ns/op lines. Exit status 2 on bad arguments. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64
#define MAX_ADDRS 16 /* distinct addresses kept per thread */
#define LINE 64

typedef struct {
	int64_t a, b;
} pair_t;

typedef struct {
	size_t size;       /* bytes per malloc */
	unsigned threads;
	unsigned reps;
	unsigned ms;       /* timed window per repetition */
	int per_rep;       /* 1: new workers per repetition; 0: one pool */
	unsigned warm;     /* objects each worker mallocs, then frees, before timing */
	unsigned prior;    /* objects main mallocs and frees before the workers start */
	int heap_slots;    /* 1: each worker's op counter is a malloc(16) block */
	int quiet;
} opts_t;

/* A worker's own state, one per cache line (128: adjacent-line prefetch). */
typedef struct {
	_Alignas(128) pthread_t tid;
	unsigned idx;
	uint64_t ops, ns, sink;
	uint64_t *counter; /* where the hot loop counts: &ops or a heap block */
	void *addr[MAX_ADDRS];
	unsigned naddr;
	int cpu_ok;
	unsigned gen0;      /* the round number when it was created */
} worker_t;

static opts_t o = {.size = 16, .threads = 2, .reps = 5, .ms = 200};
static worker_t w[MAX_THREADS];
static atomic_int stop, quit;
static atomic_uint ready, done, gen; /* gen: round number, bumped to release */
static atomic_uint warm_turn;        /* the worker whose warm-up runs now */
static long cache_in_window;         /* tcmalloc's thread-cache bytes while they ran */
/* Waits sleep, as contend's barrier does: a thread that spun before its
 * window would, on a loaded machine, lose the CPU to sleepers inside it. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void bump(atomic_uint *v)
{
	pthread_mutex_lock(&mu);
	atomic_fetch_add(v, 1);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

/* Sleeps until *v reaches n (at_least) or leaves n (!at_least); returns it. */
static unsigned wait_until(atomic_uint *v, unsigned n, int at_least)
{
	pthread_mutex_lock(&mu);
	unsigned x;
	while (at_least ? (x = atomic_load(v)) < n : (x = atomic_load(v)) == n)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return x;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The operation's allocating half: not inlined, so the malloc stays a call
 * across a frame boundary as in contend's bilbo/smaug heap modes. */
__attribute__((noipa)) static pair_t *make(size_t size, int64_t i)
{
	pair_t *p = malloc(size);
	if (!p)
		abort();
	*p = (pair_t){i, i ^ 0x5bd1e995};
	return p;
}

static void note_addr(worker_t *me, void *p)
{
	for (unsigned k = 0; k < me->naddr; k++)
		if (me->addr[k] == p)
			return;
	if (me->naddr < MAX_ADDRS)
		me->addr[me->naddr++] = p;
}

/* The timed loop: until stop, in groups of 256 operations. */
static void timed_loop(worker_t *me)
{
	uint64_t sink = 0, *ops = me->counter;
	void *last = NULL;
	*ops = 0;
	uint64_t t0 = now_ns();
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		for (int k = 0; k < 256; k++) {
			pair_t *p = make(o.size, (int64_t)k);
			sink += (uint64_t)(p->a + p->b);
			if (p != last) /* a predictable branch: recording costs ~nothing */
				note_addr(me, last = p);
			free(p);
		}
		*ops += 256;
	}
	me->ns = now_ns() - t0;
	me->ops = *ops;
	me->sink += sink;
}

static void warm_up(unsigned n)
{
	void **v = malloc(n * sizeof *v);
	if (!v)
		abort();
	for (unsigned i = 0; i < n; i++)
		v[i] = make(o.size, (int64_t)i);
	for (unsigned i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int pin(unsigned idx)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET((int)(idx % (unsigned)(ncpu > 0 ? ncpu : 1)), &set);
	return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

/* One repetition per round; a pool worker waits for the next one. */
static void *worker_main(void *arg)
{
	worker_t *me = arg;
	me->cpu_ok = pin(me->idx);
	me->counter = &me->ops;
	if (o.heap_slots && !(me->counter = malloc(sizeof(uint64_t) * 2)))
		abort();
	if (o.warm) { /* in turn, so each worker's objects come from its own run */
		while (atomic_load(&warm_turn) != me->idx)
			sched_yield();
		warm_up(o.warm);
		atomic_fetch_add(&warm_turn, 1);
	}
	for (unsigned seen = me->gen0;;) {
		bump(&ready);
		unsigned g = wait_until(&gen, seen, 0);
		if (atomic_load(&quit))
			break;
		seen = g;
		me->naddr = 0;
		timed_loop(me);
		bump(&done);
		if (o.per_rep)
			break;
	}
	if (o.heap_slots)
		free(me->counter);
	return NULL;
}


static void start_workers(void)
{
	atomic_store(&ready, 0);
	atomic_store(&warm_turn, 0);
	for (unsigned i = 0; i < o.threads; i++) {
		w[i].idx = i;
		w[i].gen0 = atomic_load(&gen);
		int e = pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
		if (e) {
			fprintf(stderr, "smallobj: cannot start worker %u: %s\n", i, strerror(e));
			exit(1);
		}
	}
}

static void join_workers(void)
{
	for (unsigned i = 0; i < o.threads; i++)
		pthread_join(w[i].tid, NULL);
}

/* Cache lines that more than one thread's timed loop touched. */
static unsigned shared_lines(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < o.threads; i++)
		for (unsigned k = 0; k < w[i].naddr; k++) {
			uintptr_t line = (uintptr_t)w[i].addr[k] / LINE;
			int other = 0, earlier = 0;
			for (unsigned j = 0; j < o.threads; j++)
				for (unsigned m = 0; j != i && m < w[j].naddr; m++)
					if ((uintptr_t)w[j].addr[m] / LINE == line) {
						other = 1;
						earlier |= j < i;
					}
			n += other && !earlier; /* count each shared line once */
		}
	return n;
}

static void report(unsigned rep)
{
	printf("rep=%u threads=%u ns_op=", rep, o.threads);
	for (unsigned i = 0; i < o.threads; i++) /* nan: never ran in the window */
		printf("%s%.2f", i ? "," : "",
		       w[i].ops ? (double)w[i].ns / (double)w[i].ops : (double)NAN);
	for (unsigned i = 0; i < o.threads; i++)
		if (!w[i].cpu_ok)
			printf(" unpinned=T%u", i);
	if (!o.quiet) {
		if (cache_in_window >= 0)
			printf(" thread_cache_bytes=%ld", cache_in_window);
		printf(" shared_lines=%u addrs=", shared_lines());
		for (unsigned i = 0; i < o.threads; i++)
			for (unsigned k = 0; k < w[i].naddr; k++)
				printf("%sT%u:%p", i || k ? ";" : "", i, w[i].addr[k]);
	}
	printf("\n");
}

/* tcmalloc's bytes in all thread caches, or -1 (another allocator). */
static long thread_cache_bytes(void)
{
	int (*get)(const char *, size_t *) =
		(int (*)(const char *, size_t *))dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty");
	size_t v = 0;
	return get && get("tcmalloc.current_total_thread_cache_bytes", &v) ? (long)v : -1;
}

static void run_rep(unsigned rep)
{
	if (o.per_rep || rep == 0)
		start_workers();
	wait_until(&ready, o.threads, 1);
	atomic_store(&ready, 0);
	atomic_store(&done, 0);
	atomic_store(&stop, 0);
	bump(&gen);
	struct timespec d = {o.ms / 1000, (long)(o.ms % 1000) * 1000000L};
	while (nanosleep(&d, &d) && errno == EINTR) {
	}
	cache_in_window = thread_cache_bytes(); /* on main: its lock, not theirs */
	atomic_store(&stop, 1);
	wait_until(&done, o.threads, 1);
	if (o.per_rep)
		join_workers();
	report(rep);
}

/* ---------------------------------------------------------------- tcmalloc */

static void tcmalloc_stats(void)
{
	int (*get)(const char *, size_t *) =
		(int (*)(const char *, size_t *))dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty");
	static const char *const props[] = {
		"generic.current_allocated_bytes",          "tcmalloc.current_total_thread_cache_bytes",
		"tcmalloc.central_cache_free_bytes",        "tcmalloc.transfer_cache_free_bytes",
		"tcmalloc.thread_cache_free_bytes",
	};
	if (!get)
		return;
	printf("tcmalloc");
	for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
		size_t v = 0;
		if (get(props[i], &v))
			printf(" %s=%zu", props[i], v);
	}
	printf("\n");
}

/* ---------------------------------------------------------------- options */

static void usage(void)
{
	fprintf(stderr,
		"usage: smallobj [-s BYTES] [-t THREADS] [-r REPS] [-m MS] [-l once|per-rep]\n"
		"                [-w N] [-p N] [-h] [-q]\n"
		"  -s  bytes per malloc, >= 16 (default 16)\n"
		"  -t  worker threads, 1-%d (default 2)\n"
		"  -r  repetitions (default 5)      -m  ms per repetition (default 200)\n"
		"  -l  once: one pool for all repetitions (default); per-rep: new workers each\n"
		"  -w  warm-up: each worker in turn mallocs N objects, then frees them in the\n"
		"      same order, before its first timed loop\n"
		"  -p  prior: main mallocs N objects and frees them before any worker starts\n"
		"  -h  each worker's op counter lives in a malloc(16) block, not its own slot\n"
		"  -q  ns/op only\n",
		MAX_THREADS);
	exit(2);
}

static unsigned num(const char *opt, const char *v, unsigned lo, unsigned hi)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi) {
		fprintf(stderr, "smallobj: %s: bad value '%s' (want %u-%u)\n", opt, v, lo, hi);
		exit(2);
	}
	return (unsigned)x;
}

static void parse(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "s:t:r:m:l:w:p:hq")) != -1) {
		switch (c) {
		case 's': o.size = num("-s", optarg, 16, 1u << 20); break;
		case 't': o.threads = num("-t", optarg, 1, MAX_THREADS); break;
		case 'r': o.reps = num("-r", optarg, 1, 100000); break;
		case 'm': o.ms = num("-m", optarg, 1, 600000); break;
		case 'w': o.warm = num("-w", optarg, 0, 1u << 20); break;
		case 'p': o.prior = num("-p", optarg, 0, 1u << 20); break;
		case 'h': o.heap_slots = 1; break;
		case 'q': o.quiet = 1; break;
		case 'l':
			if (strcmp(optarg, "once") != 0 && strcmp(optarg, "per-rep") != 0) {
				fprintf(stderr, "smallobj: -l: bad value '%s' (want once or per-rep)\n",
					optarg);
				exit(2);
			}
			o.per_rep = strcmp(optarg, "per-rep") == 0;
			break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
}

int main(int argc, char **argv)
{
	parse(argc, argv);
	/* the conditions, named as contend names them (prime=N is -w N) */
	printf("# smallobj size=%zu threads=%u lifetime=%s prime=%u prior=%u counters=%s\n", o.size,
	       o.threads, o.per_rep ? "per-rep" : "once", o.warm, o.prior,
	       o.heap_slots ? "heap" : "slot");
	if (o.prior)
		warm_up(o.prior);
	for (unsigned r = 0; r < o.reps; r++)
		run_rep(r);
	if (!o.per_rep) {
		atomic_store(&quit, 1);
		bump(&gen);
		join_workers();
	}
	uint64_t sink = 0;
	for (unsigned i = 0; i < o.threads; i++)
		sink += w[i].sink;
	if (!o.quiet)
		tcmalloc_stats();
	return sink == 0; /* the loop's results were all used */
}
