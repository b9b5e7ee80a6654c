// runner.go — one point on N locked, pinned goroutines, the Go twin of
// src/measure/runner.c: the same rounds, the same calibration (Go's b.N
// rule as contend applies it), the same measured round (a common window of
// the benchtime behind a spinning start gate, each worker counting its own
// operations up to a shared stop), the same figures.
//
// GOMAXPROCS is set to the thread count. Each worker goroutine locks itself
// to its OS thread, pins that thread to the PU the parent planned, and
// checks where it runs at the start and end of every round. A worker never
// unlocks: when the point ends its thread exits with it, so no pinned thread
// is ever reused by the runtime for other goroutines.
package main

import (
	"fmt"
	"math"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

// kernel runs iters operations of one mode and returns their sink.
type kernel func(mode string, iters uint64) uint64

type point struct {
	wl, mode      string
	size          uint64
	threads       int
	btNs, btIters uint64 // benchtime: ns per round, or fixed iterations
	hint          uint64 // iters of an earlier repetition, or 0
	census        bool   // count allocations over a fixed number of iters
	cpus          []int  // planned PU per worker, -1: none
	makeKernel    func(thread int) kernel
}

// span is what one worker measured in its last round.
type span struct {
	t0, t1   int64 // ns on the process's monotonic clock
	ru0, ru1 syscall.Rusage
	ops      uint64 // operations this worker ran in the round
	cpuNs    int64  // its thread's CPU time over the round, ns
	pc0, pc1 int64  // the process's CPU time before t0 and after t1, ns
	q0       int64  // its run-queue wait so far at t0; -1 unknown
	waitNs   int64  // its thread's run-queue wait over the round, ns; -1 unknown
	gateNs   int64  // its run-queue wait from reaching the gate to t0; -1 unknown
	sink     uint64
}

type worker struct {
	sched             *schedStat
	idx, cpu, bindErr int
	cpuStart, cpuEnd  int
	span              span
	cmd               chan *round
	_                 [64]byte // keeps workers' hot fields off one cache line
}

// round is one release of the workers. Timed rounds pass a spinning gate
// (window.c's ct_gate_pass: the last worker to arrive reads the clock and
// opens it), so the spans start within a cache-line transfer of each other
// rather than one channel wake-up after another. Census rounds spin on a
// flag the controller sets instead: it reads the memory statistics first,
// and a goroutine that blocks on a channel may allocate its wait record (a
// sudog, 96 B, whenever a GC has emptied the runtime's cache), which must
// not be counted as the kernel's.
type round struct {
	iters    uint64 // 0: quit; in a windowed round, the operations per chunk
	windowNs uint64 // >0: chunks until this long after the gate opened
	spin     bool   // census round
	yield    bool   // more workers than CPUs: yield rather than spin
	parties  int32
	arrived  int32 // timed: workers at the gate
	openNs   int64 // timed: 0 while closed, the clock when opened
	open     int32 // census: set to release the workers
	finished int32 // census: workers done
	closed   int32 // census: statistics read, workers may block again
}

// waitAtLeast spins (yielding) until *f >= n.
func waitAtLeast(f *int32, n int32) {
	for atomic.LoadInt32(f) < n {
		runtime.Gosched()
	}
}

// pass is ct_gate_pass(): waits until every worker arrived and returns the
// instant the gate opened. A waiter gives up its CPU when the workers
// outnumber the CPUs, or after ~20000 spins: one kept off its CPU must not
// leave the others spinning a time slice. It does so through the Go
// scheduler (its locked thread sleeps until the goroutine is run again),
// not with sched_yield(2): each sched_yield pushes the thread's EEVDF
// deadline a slice later (Linux 6.6 and later), so under load a yielding
// waiter is starved for seconds; and while it is, a GC waiting for its P
// to reach a safe point holds the worker it waits for, which stalled a
// repetition for up to a minute. Gosched frees the P at once.
func (r *round) pass() int64 {
	if atomic.AddInt32(&r.arrived, 1) == r.parties {
		t := now()
		atomic.StoreInt64(&r.openNs, t)
		return t
	}
	for spins := 0; ; spins++ {
		if t := atomic.LoadInt64(&r.openNs); t != 0 {
			return t
		}
		if r.yield || spins > 20000 {
			runtime.Gosched()
		}
	}
}

var epoch = time.Now()

// now is ns since the child started, never 0 (0 is the closed gate).
func now() int64 { return int64(time.Since(epoch)) + 1 }

// timeRound is one worker's round of a fixed count: the only code inside
// t0..t1 is the kernel; the thread's figures are read around it.
func (w *worker) timeRound(k kernel, mode string, iters uint64) {
	m := w.beginSpan()
	w.span.t0 = now()
	w.span.sink += k(mode, iters)
	w.span.t1 = now()
	w.endSpan(m)
	w.span.ops = iters
}

// mark is what beginSpan read, for endSpan.
type mark struct{ pc0, q0, c0 int64 }

// beginSpan reads, just before t0, where the thread runs, its rusage, the
// process's CPU time, its run-queue wait and its own CPU time (innermost,
// so that the system calls around the span stay out of it).
func (w *worker) beginSpan() mark {
	w.cpuStart = currentCPU()
	threadUsage(&w.span.ru0)
	return mark{procCPUNs(), w.sched.waitNs(), threadCPUNs()}
}

// endSpan reads them again just after t1, in the reverse order.
func (w *worker) endSpan(m mark) {
	w.span.cpuNs = threadCPUNs() - m.c0
	w.span.q0, w.span.waitNs = m.q0, waitSince(m.q0, w.sched.waitNs())
	w.span.pc0, w.span.pc1 = m.pc0, procCPUNs()
	threadUsage(&w.span.ru1)
	w.cpuEnd = currentCPU()
}

// waitSince is the run-queue wait between two readings, -1 when unknown.
func waitSince(q0, q1 int64) int64 {
	if q0 < 0 || q1 < q0 {
		return -1
	}
	return q1 - q0
}

// windowRound is window_round() of runner.c: chunks of `chunk` operations
// until one ends at or past the shared stop, at least one; every thread
// then ends within a chunk of the others and counts its own operations.
// The span is the first chunk's start to the last one's end.
func (w *worker) windowRound(k kernel, mode string, chunk uint64, stop int64) {
	w.span.ops = 0
	m := w.beginSpan()
	w.span.t0 = now()
	for {
		w.span.sink += k(mode, chunk)
		w.span.ops += chunk
		if w.span.t1 = now(); w.span.t1 >= stop {
			break
		}
	}
	w.endSpan(m)
}

func (w *worker) main(p *point, ready, done chan<- struct{}) {
	runtime.LockOSThread() // never unlocked: the thread ends with the point
	w.bindErr = bindSelf(w.cpu)
	w.sched = openSchedStat() // this thread's, so after LockOSThread
	defer w.sched.close()
	k := p.makeKernel(w.idx)
	ready <- struct{}{}
	for r := range w.cmd {
		if r.iters == 0 {
			return
		}
		if r.spin {
			waitAtLeast(&r.open, 1)
			w.timeRound(k, p.mode, r.iters)
			atomic.AddInt32(&r.finished, 1)
			waitAtLeast(&r.closed, 1)
			continue
		}
		qa := w.sched.waitNs()
		if open := r.pass(); r.windowNs > 0 {
			w.windowRound(k, p.mode, r.iters, open+int64(r.windowNs))
		} else {
			w.timeRound(k, p.mode, r.iters)
		}
		w.span.gateNs = waitSince(qa, w.span.q0)
		done <- struct{}{}
	}
}

// crew is the controller's view of a point's workers.
type crew struct {
	p              *point
	ws             []worker
	done           chan struct{}
	gc0, gc1       runtime.MemStats // around the last round
	mallocs, bytes uint64           // census: heap objects and bytes of the counted round
}

func startCrew(p *point) *crew {
	c := &crew{p: p, ws: make([]worker, p.threads), done: make(chan struct{}, p.threads)}
	ready := make(chan struct{}, p.threads)
	for i := range c.ws {
		w := &c.ws[i]
		w.idx, w.cpu, w.cmd = i, p.cpus[i], make(chan *round, 1)
		go w.main(p, ready, c.done)
	}
	for range c.ws {
		<-ready
	}
	return c
}

// runRound releases every worker at once for iters operations (per chunk
// when windowNs > 0) and returns the mean thread time (ns). The memory
// statistics are read around it (stopping the world, outside every timed
// region): before the commands go out in a timed round, since its workers
// open their own gate.
func (c *crew) runRound(iters, windowNs uint64) uint64 {
	n := len(c.ws)
	r := &round{iters: iters, windowNs: windowNs, spin: c.p.census, parties: int32(n),
		yield: n > runtime.NumCPU()}
	if iters != 0 && !r.spin {
		runtime.ReadMemStats(&c.gc0)
	}
	for i := range c.ws {
		c.ws[i].cmd <- r
	}
	if iters == 0 {
		return 0
	}
	if r.spin {
		runtime.ReadMemStats(&c.gc0)
		atomic.StoreInt32(&r.open, 1)
		waitAtLeast(&r.finished, int32(n))
	} else {
		for range c.ws {
			<-c.done
		}
	}
	runtime.ReadMemStats(&c.gc1)
	atomic.StoreInt32(&r.closed, 1)
	var sum float64
	for i := range c.ws {
		sum += float64(c.ws[i].span.t1 - c.ws[i].span.t0)
	}
	return uint64(sum / float64(n))
}

// predictIters is ct_predict_iters(): +20%, at most 100x, at least +1.
func predictIters(goal, prev, prevNs uint64) uint64 {
	if prevNs == 0 {
		prevNs = 1
	}
	n := float64(goal) * float64(prev) / float64(prevNs)
	n += n / 5
	if n > 100*float64(prev) {
		n = 100 * float64(prev)
	}
	if n < float64(prev)+1 {
		n = float64(prev) + 1
	}
	if n > maxIters {
		n = maxIters
	}
	return uint64(n)
}

const maxIters = 100000000000

// measure runs warm-up, calibration and the measured round as
// calibrate_and_measure() in runner.c (a census keeps its own rule, below);
// returns the rounds run.
func (c *crew) measure() int {
	p := c.p
	if p.census {
		// The runtime allocates for itself too: new(m) and its g0 for a
		// thread that takes over while locked workers wait, the GC's mark
		// workers (new g's) at its first cycle after a GOMAXPROCS change,
		// an occasional wait record. The warm-up operation and a forced GC
		// get the one-off ones out of the way; the rest land in some rounds,
		// the kernel's in every round: the fewest of five counts.
		c.runRound(1, 0)
		runtime.GC()
		c.mallocs, c.bytes = math.MaxUint64, 0
		for i := 0; i < 5; i++ {
			c.runRound(p.btIters, 0)
			if m := c.gc1.Mallocs - c.gc0.Mallocs; m < c.mallocs {
				c.mallocs, c.bytes = m, c.gc1.TotalAlloc-c.gc0.TotalAlloc
			}
		}
		return 6
	}
	if p.btIters != 0 {
		warm := p.btIters / 10
		if warm == 0 {
			warm = 1
		}
		c.runRound(warm, 0)
		c.runRound(p.btIters, 0)
		return 2
	}
	return c.timedRounds()
}

// timedRounds is timed_rounds() of runner.c: warm-up and calibration rounds
// (Go's b.N growth) until one lasts a tenth of the benchtime, then the
// measured round, a common window of the benchtime in chunks of 1/64 of it
// (the go workloads' threads are independent: no lockstep round here).
func (c *crew) timedRounds() int {
	p := c.p
	iters := p.hint/10 + p.hint/50 // a fifth above the tenth, as runner.c
	if iters == 0 {
		iters = 1
	}
	var t uint64
	rounds := 0
	for k := 0; ; k++ {
		t = c.runRound(iters, 0)
		rounds = k + 2
		if t >= p.btNs/10 || iters >= maxIters || k >= 40 {
			break
		}
		iters = predictIters(p.btNs/10, iters, t) // aim at the warm-up, not beyond
	}
	c.runRound(chunkOps(p.btNs, iters, t), p.btNs)
	return rounds
}

// chunkOps is chunk_ops() of runner.c: 1/64 of the benchtime at the
// calibrated rate, at least one operation.
func chunkOps(btNs, iters, ns uint64) uint64 {
	perOp := 1.0
	if ns != 0 && iters != 0 {
		perOp = float64(ns) / float64(iters)
	}
	if chunk := uint64(float64(btNs) / 64 / perOp); chunk > 1 {
		return chunk
	}
	return 1
}

func (c *crew) stop() {
	c.runRound(0, 0)
}

// runPoint measures one point; the error names what was wrong.
func runPoint(p *point, clock *procClock) (*result, error) {
	if p.threads < 1 || p.threads > 4096 || len(p.cpus) != p.threads {
		return nil, fmt.Errorf("bad thread count %d (%d PUs planned)", p.threads, len(p.cpus))
	}
	clock.set(p.threads)
	c := startCrew(p)
	rounds := c.measure()
	r := summarize(c)
	r.rounds = rounds
	r.gcStats(c, clock)
	c.stop()
	r.peakRSS = peakRSSKiB()
	return r, nil
}
