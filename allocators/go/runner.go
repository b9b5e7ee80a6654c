// runner.go — one point on N locked, pinned goroutines, the Go twin of
// src/measure/runner.c: the same rounds, the same calibration (Go's b.N
// rule as contend applies it), the same figures.
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
	sink     uint64
}

type worker struct {
	idx, cpu, bindErr int
	cpuStart, cpuEnd  int
	span              span
	cmd               chan *round
	_                 [64]byte // keeps workers' hot fields off one cache line
}

// round is one release of the workers. Timed rounds wait on channels (the
// waiters sleep, as the C runner's barrier). Census rounds spin instead: a
// goroutine that blocks on a channel may allocate its wait record (a sudog,
// 96 B, whenever a GC has emptied the runtime's cache), and that must not
// be counted as the kernel's.
type round struct {
	iters    uint64 // 0: quit
	gate     chan struct{}
	spin     bool
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

var epoch = time.Now()

func now() int64 { return int64(time.Since(epoch)) }

// timeRound is one worker's timed round: the only code inside t0..t1 is
// the kernel. Kept apart so a different round discipline (a shared stop
// flag instead of a fixed count) changes this function alone.
func (w *worker) timeRound(k kernel, mode string, iters uint64) {
	w.cpuStart = currentCPU()
	threadUsage(&w.span.ru0)
	w.span.t0 = now()
	w.span.sink += k(mode, iters)
	w.span.t1 = now()
	threadUsage(&w.span.ru1)
	w.cpuEnd = currentCPU()
}

func (w *worker) main(p *point, ready, done chan<- struct{}) {
	runtime.LockOSThread() // never unlocked: the thread ends with the point
	w.bindErr = bindSelf(w.cpu)
	k := p.makeKernel(w.idx)
	ready <- struct{}{}
	for r := range w.cmd {
		if r.iters == 0 {
			return
		}
		if r.spin {
			waitAtLeast(&r.open, 1)
		} else {
			<-r.gate
		}
		w.timeRound(k, p.mode, r.iters)
		if r.spin {
			atomic.AddInt32(&r.finished, 1)
			waitAtLeast(&r.closed, 1)
		} else {
			done <- struct{}{}
		}
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

// runRound releases every worker at once for iters operations and returns
// the mean thread time (ns). The memory statistics are read around it
// (stopping the world, outside every timed region).
func (c *crew) runRound(iters uint64) uint64 {
	r := &round{iters: iters, gate: make(chan struct{}), spin: c.p.census}
	for i := range c.ws {
		c.ws[i].cmd <- r
	}
	if iters == 0 {
		return 0
	}
	runtime.ReadMemStats(&c.gc0)
	if r.spin {
		atomic.StoreInt32(&r.open, 1)
		waitAtLeast(&r.finished, int32(len(c.ws)))
	} else {
		close(r.gate)
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
	return uint64(sum / float64(len(c.ws)))
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

// measure runs warm-up, calibration and the measured round exactly as
// calibrate_and_measure() in runner.c; returns iters and rounds.
func (c *crew) measure() (uint64, int) {
	p := c.p
	if p.census {
		// The runtime allocates for itself too: new(m) and its g0 for a
		// thread that takes over while locked workers wait, the GC's mark
		// workers (new g's) at its first cycle after a GOMAXPROCS change,
		// an occasional wait record. The warm-up operation and a forced GC
		// get the one-off ones out of the way; the rest land in some rounds,
		// the kernel's in every round: the fewest of five counts.
		c.runRound(1)
		runtime.GC()
		c.mallocs, c.bytes = math.MaxUint64, 0
		for i := 0; i < 5; i++ {
			c.runRound(p.btIters)
			if m := c.gc1.Mallocs - c.gc0.Mallocs; m < c.mallocs {
				c.mallocs, c.bytes = m, c.gc1.TotalAlloc-c.gc0.TotalAlloc
			}
		}
		return p.btIters, 6
	}
	if p.btIters != 0 {
		warm := p.btIters / 10
		if warm == 0 {
			warm = 1
		}
		c.runRound(warm)
		c.runRound(p.btIters)
		return p.btIters, 2
	}
	iters := p.hint / 10
	if iters == 0 {
		iters = 1
	}
	warm := false
	for k := 0; ; k++ {
		t := c.runRound(iters)
		if (warm && t >= p.btNs) || iters >= maxIters || k >= 40 {
			return iters, k + 1
		}
		warm = warm || t >= p.btNs/10
		iters = predictIters(p.btNs, iters, t)
	}
}

func (c *crew) stop() {
	c.runRound(0)
}

// runPoint measures one point; the error names what was wrong.
func runPoint(p *point, clock *procClock) (*result, error) {
	if p.threads < 1 || p.threads > 4096 || len(p.cpus) != p.threads {
		return nil, fmt.Errorf("bad thread count %d (%d PUs planned)", p.threads, len(p.cpus))
	}
	clock.set(p.threads)
	c := startCrew(p)
	iters, rounds := c.measure()
	r := summarize(c, iters)
	r.rounds = rounds
	r.gcStats(c, clock, iters)
	c.stop()
	r.peakRSS = peakRSSKiB()
	return r, nil
}
