/* pcref.c — an independent producer→consumer reference for xfree's pc mode,
 * in the manner of Lever and Boreham's xmalloc-test as mimalloc-bench runs
 * it: one producer thread mallocs objects and hands them over in batches
 * through a mutex- and condition-variable-guarded list of at most `depth`
 * batches, one consumer thread frees them; the figure is the consumer's
 * frees per second. It shares no code with contend (no queue, no timing, no
 * pinning of its own), so that a ranking both agree on is not an artefact of
 * either. Run under each allocator with LD_PRELOAD (scripts/xfree-reference.sh).
 *
 * usage: pcref [-s SIZE] [-b BATCH] [-d DEPTH] [-t MS] [-f] [-y] [-p]
 *   MS: run time in milliseconds (default 1000); -f: hand batches over
 *   oldest first (a queue) instead of newest first (xmalloc-test's stack);
 *   -y: wait by yielding and retrying instead of sleeping on a condition;
 *   -p: pin the producer to CPU 0 and the consumer to CPU 1, as contend does;
 *   defaults: 64 B objects, 4096 per batch, 100 batches deep
 *   prints:   "frees_per_s=... ns_per_object=... prod_cpu_ns=... cons_cpu_ns=...
 *              waits_producer=... waits_consumer=..." (CPU time of each thread
 *              per object freed: the producer's also covers objects still queued)
 * A thread that finds the list full (producer) or empty (consumer) sleeps on
 * a condition variable, as in xmalloc-test; the waits are counted. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct batch {
	struct batch *next;
	void *obj[]; /* `batch_n` objects */
} batch_t;

static size_t obj_size = 64, batch_n = 4096, depth = 100;
static double seconds = 1.0;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static batch_t *head, *tail; /* the list: taken at head */
static int fifo;             /* -f: queue (oldest first); default a stack, as xmalloc-test */
static int spin;             /* -y: wait by yielding the CPU and retrying, not by sleeping */
static int pin;              /* -p: producer on CPU 0, consumer on CPU 1 (contend's compact) */

static void pin_to(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pin && pthread_setaffinity_np(pthread_self(), sizeof set, &set))
		fprintf(stderr, "pcref: cannot pin to CPU %d\n", cpu);
}

/* Wait for the other side: sleep on cv (xmalloc-test), or with -y drop the
 * lock, yield and retry, as contend's xfree does. */
static void wait_on(pthread_cond_t *cv)
{
	if (!spin) {
		pthread_cond_wait(cv, &lock);
		return;
	}
	pthread_mutex_unlock(&lock);
	sched_yield();
	pthread_mutex_lock(&lock);
}
static size_t queued;
static int done;
static unsigned long long frees, waits_prod, waits_cons;
static double cpu_prod, cpu_cons; /* each thread's CPU time, s: its own work, sleeping excluded */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double thread_cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void enqueue(batch_t *b)
{
	pthread_mutex_lock(&lock);
	while (queued >= depth && !done) {
		waits_prod++;
		wait_on(&not_full);
	}
	if (fifo) {
		b->next = NULL;
		if (tail)
			tail->next = b;
		else
			head = b;
		tail = b;
	} else {
		b->next = head;
		head = b;
	}
	queued++;
	pthread_cond_signal(&not_empty);
	pthread_mutex_unlock(&lock);
}

static batch_t *dequeue(void)
{
	pthread_mutex_lock(&lock);
	while (!head && !done) {
		waits_cons++;
		wait_on(&not_empty);
	}
	batch_t *b = head;
	if (b) {
		head = b->next;
		tail = head ? tail : NULL;
		queued--;
		pthread_cond_signal(&not_full);
	}
	pthread_mutex_unlock(&lock);
	return b;
}

static void *producer(void *arg)
{
	(void)arg;
	pin_to(0);
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		batch_t *b = malloc(sizeof *b + batch_n * sizeof b->obj[0]);
		if (!b)
			abort();
		for (size_t i = 0; i < batch_n; i++) {
			b->obj[i] = malloc(obj_size);
			if (!b->obj[i])
				abort();
			memset(b->obj[i], (int)i, obj_size < 128 ? obj_size : 128);
		}
		enqueue(b);
	}
	cpu_prod = thread_cpu_s();
	return NULL;
}

static void *consumer(void *arg)
{
	unsigned long long n = 0, check = 0;
	(void)arg;
	pin_to(1);
	/* Stops at the stop, as xmalloc-test does: what is queued then is freed
	 * by main and not counted. */
	for (batch_t *b; !__atomic_load_n(&done, __ATOMIC_ACQUIRE) && (b = dequeue()) != NULL;) {
		for (size_t i = 0; i < batch_n; i++) {
			check += *(unsigned char *)b->obj[i]; /* read it, as a consumer would */
			free(b->obj[i]);
		}
		free(b);
		n += batch_n;
	}
	frees = n;
	cpu_cons = thread_cpu_s();
	return (void *)(uintptr_t)(check & 1); /* keep the reads */
}

static size_t arg_num(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || v == 0 || v > (1ull << 30)) {
		fprintf(stderr, "pcref: %s: bad value '%s'\n", what, s);
		exit(2);
	}
	return (size_t)v;
}

int main(int argc, char **argv)
{
	for (int c; (c = getopt(argc, argv, "s:b:d:t:fyp")) != -1;) {
		if (c == 'f')
			fifo = 1;
		else if (c == 'p')
			pin = 1;
		else if (c == 'y')
			spin = 1;
		else if (c == 's')
			obj_size = arg_num(optarg, "-s");
		else if (c == 'b')
			batch_n = arg_num(optarg, "-b");
		else if (c == 'd')
			depth = arg_num(optarg, "-d");
		else if (c == 't')
			seconds = (double)arg_num(optarg, "-t") / 1000.0;
		else
			return fprintf(stderr, "usage: pcref [-s SIZE] [-b BATCH] [-d DEPTH] [-t MS] [-f] [-y] [-p]\n"), 2;
	}
	pthread_t p, c;
	double t0 = now_s();
	if (pthread_create(&c, NULL, consumer, NULL) || pthread_create(&p, NULL, producer, NULL))
		return fprintf(stderr, "pcref: cannot start threads\n"), 1;
	while (now_s() - t0 < seconds)
		usleep(1000);
	pthread_mutex_lock(&lock);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&not_empty);
	pthread_cond_broadcast(&not_full);
	pthread_mutex_unlock(&lock);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	double el = now_s() - t0;
	for (batch_t *b = head, *nx; b; b = nx) { /* left over at the stop, not counted */
		nx = b->next;
		for (size_t i = 0; i < batch_n; i++)
			free(b->obj[i]);
		free(b);
	}
	double per = 1e9 / (double)(frees ? frees : 1);
	printf("frees_per_s=%.0f ns_per_object=%.2f prod_cpu_ns=%.2f cons_cpu_ns=%.2f "
	       "waits_producer=%llu waits_consumer=%llu\n",
	       (double)frees / el, el * per, cpu_prod * per, cpu_cons * per, waits_prod, waits_cons);
	return 0;
}
