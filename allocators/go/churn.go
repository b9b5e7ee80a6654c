// churn.go — workloads/churn.c in Go: a working set of k live objects per
// thread, replaced in random order, `batch` replacements at a time.
//
// One operation (mode heap): drop one live object chosen at random and
// allocate a new one in its place (1 alloc/op; SIZE B/op, rounded up to
// Go's size class, with dist=0). C frees the object it drops; Go has no
// free, so the dropped object is garbage the GC reclaims later — which is
// the point: the per-P mcache, mcentral and the sweeper do what C's free
// lists do, in their own time. The batch's drops come first, then its
// allocations, as in C: the live set swings by `batch` objects.
//
// Each object carries a tag (thread << 40 | sequence number) written when
// it is allocated and folded into the sink (the same mix as ct_mix64) when
// it is dropped, so the sink is churn.c's: every object dropped once.
// The working set is built when the kernel is made, outside every timed
// and counted round, and kept across rounds: the steady state of churn.c's
// latency round.
package main

import (
	"encoding/binary"
	"math/bits"
)

const churnMin = 16 // the smallest size drawn with dist=1

type churnSet struct {
	obj     [][]byte // live objects, obj[0 .. len)
	rng     uint64   // xorshift64 state, seeded from the thread index
	tag     uint64   // next object's tag
	size    int      // SIZE, bytes
	uniform bool     // dist=1: sizes uniform in 16..SIZE
	batch   uint64   // replacements done together
}

func xorshift64(s *uint64) uint64 {
	x := *s
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*s = x
	return x
}

// below is a uniform index below n without a division (churn.c's below).
func below(rng *uint64, n uint64) uint64 {
	hi, _ := bits.Mul64(xorshift64(rng), n)
	return hi
}

// mix64 is ct_mix64() of workload.h.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// churnNew allocates n bytes and tags them; the block escapes through the
// result (a run-time size always goes to the heap).
//
//go:noinline
func churnNew(n int, tag uint64) []byte {
	p := make([]byte, n)
	binary.LittleEndian.PutUint64(p, tag)
	return p
}

func (c *churnSet) alloc() []byte {
	n := c.size
	if c.uniform {
		n = churnMin + int(below(&c.rng, uint64(c.size-churnMin+1)))
	}
	c.tag++
	return churnNew(n, c.tag-1)
}

// replace does n replacements: n random drops, then n allocations; it
// returns the dropped objects' mixed tags.
func (c *churnSet) replace(n uint64) (sink uint64) {
	for b := uint64(0); b < n; b++ {
		last := len(c.obj) - 1
		r := below(&c.rng, uint64(len(c.obj)))
		sink += mix64(binary.LittleEndian.Uint64(c.obj[r]))
		c.obj[r], c.obj[last] = c.obj[last], nil // nil: garbage now, as free() makes it
		c.obj = c.obj[:last]
	}
	for b := uint64(0); b < n; b++ {
		c.obj = append(c.obj, c.alloc()) // within capacity k: no allocation of its own
	}
	return sink
}

func (c *churnSet) run(iters uint64) (sink uint64) {
	for done := uint64(0); done < iters; {
		n := iters - done
		if n > c.batch {
			n = c.batch
		}
		sink += c.replace(n)
		done += n
	}
	return sink
}

// newChurnSet builds thread's working set of k objects (churn.c's
// churn_fill); batch is at most k.
func newChurnSet(thread int, size, k, batch uint64, uniform bool) *churnSet {
	if batch > k {
		batch = k
	}
	c := &churnSet{obj: make([][]byte, 0, k), rng: 0x9e3779b97f4a7c15 ^ mix64(uint64(thread)+1),
		tag: uint64(thread)<<40 + 1, size: int(size), uniform: uniform, batch: batch}
	for uint64(len(c.obj)) < k {
		c.obj = append(c.obj, c.alloc())
	}
	return c
}

// churnKernel returns the maker of a thread's kernel for the parameters
// k, batch and dist of churn.c.
func churnKernel(size, k, batch uint64, uniform bool) func(thread int) kernel {
	return func(thread int) kernel {
		c := newChurnSet(thread, size, k, batch, uniform)
		return func(mode string, iters uint64) uint64 { return c.run(iters) }
	}
}
