// result.go — a point's figures and their "R ..." line: the same keys as
// the field table of src/measure/proto.c, so the parent reads a Go answer
// exactly like a C one.
package main

import (
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

type result struct {
	iters                       uint64 // mean operations per thread
	ops                         uint64 // all threads' operations
	rounds                      int
	overlap, cpuShareMin        float64 // the common window (window.h)
	nsPerOp, nsMin, nsMax       float64
	opsPerS, wallNs             float64
	minflt, majflt, vcsw, ivcsw float64 // per op
	allocsPerOp, bytesPerOp     float64 // census runs only
	pinnedOK, pinErrors         int
	sink                        uint64
	peakRSS                     float64
	astats                      string
}

// summarize is summarize() of runner.c over the crew's last round: each
// worker's time per operation over its own count, per-op figures over all
// operations, the overlap of the spans and the smallest on-CPU share.
func summarize(c *crew) *result {
	n := len(c.ws)
	r := &result{nsMin: math.Inf(1)}
	for i := range c.ws {
		r.ops += c.ws[i].span.ops
	}
	ops := float64(r.ops)
	first, last := int64(math.MaxInt64), int64(0)
	var sum float64
	for i := range c.ws {
		w := &c.ws[i]
		s := &w.span
		t := float64(s.t1-s.t0) / float64(s.ops)
		sum += t
		r.nsMin, r.nsMax = math.Min(r.nsMin, t), math.Max(r.nsMax, t)
		if s.t0 < first {
			first = s.t0
		}
		if s.t1 > last {
			last = s.t1
		}
		r.minflt += float64(s.ru1.Minflt-s.ru0.Minflt) / ops
		r.majflt += float64(s.ru1.Majflt-s.ru0.Majflt) / ops
		r.vcsw += float64(s.ru1.Nvcsw-s.ru0.Nvcsw) / ops
		r.ivcsw += float64(s.ru1.Nivcsw-s.ru0.Nivcsw) / ops
		r.sink += s.sink
		if w.cpu >= 0 && w.cpuStart == w.cpu && w.cpuEnd == w.cpu {
			r.pinnedOK++
		}
		if w.bindErr != 0 {
			r.pinErrors++
		}
	}
	r.iters = uint64(ops/float64(n) + 0.5)
	r.nsPerOp = sum / float64(n)
	r.wallNs = float64(last - first)
	if r.wallNs > 0 {
		r.opsPerS = ops * 1e9 / r.wallNs
	}
	r.window(c.ws, first, last)
	if c.p.census && r.ops > 0 { // what -benchmem reports: the heap's own counts over N
		// whole numbers, truncated, as testing.BenchmarkResult's
		// AllocsPerOp and AllocedBytesPerOp: a stray runtime allocation
		// during the round (a timer, a wait record) is a fraction of a
		// byte per operation, which -benchmem never shows
		r.allocsPerOp = float64(c.mallocs / r.ops)
		r.bytesPerOp = float64(c.bytes / r.ops)
	}
	return r
}

// window is summarize_window() of runner.c with ct_window_overlap(): the
// fraction of first start..last end during which every span was open, and
// the smallest on-CPU share over that span. A Go worker is also off its
// CPU when the runtime parks it (a GC mark worker takes its P, the world
// is stopped, the gate hands its P back), and waits on the run queue while
// the runtime's own threads (that mark worker, the sweeper, the scavenger)
// run on its CPU: that is how Go runs the operations, part of what each
// costs, not time another process took. So where
// /proc/thread-self/schedstat gives the threads' run-queue waits, a worker
// is off the window only for those: its wait inside its span, and of a
// late start the part its thread waited between reaching the gate and
// starting (the rest is its goroutine parked, or spinning while the others
// arrived); less, in both, the CPU time the process's other threads used
// over the window (all the runtime's work that can have displaced it).
// What is left is time only another process can have taken: a lower bound
// that hides at most the runtime's CPU time (its GC share is in
// alloc_stats), and a busy loop beside a worker still shows (test_go).
// The overlap takes the starts the same way. Where the waits are not
// known, the share is the thread's CPU time over the window and the
// overlap the spans', as for C.
func (r *result) window(ws []worker, first, last int64) {
	waits := true
	pc0, pc1, own := int64(math.MaxInt64), int64(0), int64(0)
	for i := range ws {
		s := &ws[i].span
		waits = waits && s.waitNs >= 0 && s.gateNs >= 0
		pc0, pc1, own = min64(pc0, s.pc0), max64(pc1, s.pc1), own+s.cpuNs
	}
	runtimeNs := max64(0, pc1-pc0-own) // the process's CPU less its workers'
	lastStart, firstEnd := int64(0), int64(math.MaxInt64)
	r.cpuShareMin = math.Inf(1)
	for i := range ws {
		s, share := &ws[i].span, 1.0
		start, off := s.t0, int64(0)
		if waits {
			late := min64(s.t0-first, s.gateNs) // waiting, not parked
			start = first + max64(0, late-runtimeNs)
			off = max64(0, s.waitNs+late-runtimeNs)
		}
		lastStart, firstEnd = max64(lastStart, start), min64(firstEnd, s.t1)
		switch {
		case last <= first:
		case waits: // never below its CPU time (the wait is accounted at
			// each switch, so a thread starved through the window can
			// show a wait a little longer than its span), nor above 1
			// (its CPU time brackets the span with a few system calls)
			share = 1 - float64(off)/float64(last-first)
			share = math.Max(share, math.Min(1, float64(s.cpuNs)/float64(last-first)))
		default:
			share = float64(s.cpuNs) / float64(last-first)
		}
		r.cpuShareMin = math.Min(r.cpuShareMin, share)
	}
	switch {
	case len(ws) < 2 || last <= first:
		r.overlap = 1
	case firstEnd <= lastStart:
		r.overlap = 0
	default:
		r.overlap = float64(firstEnd-lastStart) / float64(last-first)
	}
}

func min64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// procClock integrates GOMAXPROCS over wall time, as the runtime does for
// GCCPUFraction (GC CPU ns / ∫GOMAXPROCS dt up to the last GC), so GC CPU
// ns can be recovered from MemStats at any two readings.
type procClock struct {
	ts    []int64   // unix ns of each GOMAXPROCS setting
	procs []int     // the setting from then on
	acc   []float64 // ∫ up to ts[i]
}

func newProcClock() *procClock {
	return &procClock{ts: []int64{time.Now().UnixNano()}, procs: []int{runtime.GOMAXPROCS(0)},
		acc: []float64{0}}
}

func (c *procClock) set(n int) {
	t := time.Now().UnixNano()
	c.acc = append(c.acc, c.integral(t))
	c.ts, c.procs = append(c.ts, t), append(c.procs, n)
	runtime.GOMAXPROCS(n)
}

func (c *procClock) integral(t int64) float64 {
	i := len(c.ts) - 1
	for i > 0 && c.ts[i] > t {
		i--
	}
	return c.acc[i] + float64(t-c.ts[i])*float64(c.procs[i])
}

// gcNs is the GC CPU ns of all cycles completed by this reading.
func (c *procClock) gcNs(m *runtime.MemStats) float64 {
	if m.NumGC == 0 {
		return 0
	}
	return m.GCCPUFraction * c.integral(int64(m.LastGC))
}

// gcStats: GC cycles per op and the GC's share of the CPU GOMAXPROCS gave
// the measured round, plus the settings the runtime reports.
func (r *result) gcStats(c *crew, clock *procClock) {
	ops := float64(r.ops)
	cycles := float64(c.gc1.NumGC - c.gc0.NumGC)
	share := 0.0
	if r.wallNs > 0 {
		share = (clock.gcNs(&c.gc1) - clock.gcNs(&c.gc0)) / (r.wallNs * float64(len(c.ws)))
	}
	gogc := debug.SetGCPercent(-1)
	debug.SetGCPercent(gogc)
	r.astats = fmt.Sprintf("gc_per_op=%.6g;gc_cycles=%.0f;gc_cpu_share=%.4f;heap_sys=%d;"+
		"heap_inuse=%d;gogc=%d;memlimit=%d;gomaxprocs=%d", cycles/ops, cycles, share,
		c.gc1.HeapSys, c.gc1.HeapInuse, gogc, debug.SetMemoryLimit(-1), runtime.GOMAXPROCS(0))
}

func g(v float64) string { return strconv.FormatFloat(v, 'g', 17, 64) }

// line is the "R ok=1 ..." answer with every key of proto.c's field table;
// hardware counters and the latency round are not measured here (NaN and
// zeros, as a C child without them).
func (r *result) line() string {
	nan := math.NaN()
	kv := []string{"R ok=1",
		"iters=" + strconv.FormatUint(r.iters, 10), "rounds=" + strconv.Itoa(r.rounds),
		"ns_per_op=" + g(r.nsPerOp), "ns_min=" + g(r.nsMin), "ns_max=" + g(r.nsMax),
		"ops_per_s=" + g(r.opsPerS), "wall_ns=" + g(r.wallNs),
		"minflt_per_op=" + g(r.minflt), "majflt_per_op=" + g(r.majflt),
		"vcsw_per_op=" + g(r.vcsw), "ivcsw_per_op=" + g(r.ivcsw),
		"allocs_per_op=" + g(r.allocsPerOp), "bytes_per_op=" + g(r.bytesPerOp),
		"pinned_ok=" + strconv.Itoa(r.pinnedOK), "pin_errors=" + strconv.Itoa(r.pinErrors),
		"sink=" + strconv.FormatUint(r.sink, 10), "cycles_per_op=" + g(nan),
		"instr_per_op=" + g(nan), "cache_misses_per_op=" + g(nan),
		"lat_batch=0", "lat_samples=0", "lat_p50_ns=0", "lat_p99_ns=0", "lat_p999_ns=0",
		"lat_max_ns=0", "lat_mean_ns=0", "peak_rss_kib=" + g(r.peakRSS),
		"ops=" + strconv.FormatUint(r.ops, 10), "overlap=" + g(r.overlap),
		"cpu_share_min=" + g(r.cpuShareMin),
		// no hand-off between threads here: no waits, no producer/consumer sides
		"wait_ns_per_op=0", "prod_ns_per_op=" + g(nan), "cons_ns_per_op=" + g(nan),
		"astats=" + r.astats}
	return strings.Join(kv, " ") + "\n"
}
