// kernels_test.go — the same kernels under Go's own harness: proofs that
// the stack kernels do not allocate and the heap ones do (once per op, the
// size of the type), that the work arrives (exact sinks), and the
// benchmarks scripts/go-crosscheck.sh and tests/test_go.sh run with
// `go test -bench -benchmem -cpu 1,2` beside contend's go column.
package main

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

func allocsPerOp(k kernel, mode string) float64 {
	return testing.AllocsPerRun(100, func() { k(mode, 1) })
}

func TestAllocations(t *testing.T) {
	for _, size := range []uint64{16, 1024, 64 << 10} {
		k := smaugSizes[size](0)
		if got := allocsPerOp(k, "stack"); got != 0 {
			t.Errorf("smaug stack %d B: %v allocs/op, want 0", size, got)
		}
		if got := allocsPerOp(k, "heap"); got != 1 {
			t.Errorf("smaug heap %d B: %v allocs/op, want 1", size, got)
		}
	}
	if got := allocsPerOp(bilboLoop, "stack"); got != 0 {
		t.Errorf("bilbo stack: %v allocs/op, want 0", got)
	}
	if got := allocsPerOp(bilboLoop, "heap"); got != 1 {
		t.Errorf("bilbo heap: %v allocs/op, want 1", got)
	}
	for _, size := range []uint64{1024, 64 << 10, 4 << 20} {
		k := largeSizes[size](0)
		if got := allocsPerOp(k, "stack"); got != 0 {
			t.Errorf("large stack %d B: %v allocs/op, want 0", size, got)
		}
		if got := allocsPerOp(k, "heap"); got != 1 {
			t.Errorf("large heap %d B: %v allocs/op, want 1", size, got)
		}
	}
	for _, batch := range []uint64{1, 7, 64} {
		k := churnKernel(1024, 64, batch, false)(0)
		if got := allocsPerOp(k, "heap"); got != 1 {
			t.Errorf("churn batch=%d: %v allocs/op, want 1", batch, got)
		}
	}
}

// Every object churned is dropped once: the sink of n replacements plus
// the mixed tags of the objects still live is the mix of every tag made,
// 1 .. k+n on the thread's tag base (churn.c's proof, without the drain).
func TestChurnSink(t *testing.T) {
	for _, c := range []struct {
		size, k, batch, n uint64
		dist              bool
	}{
		{64, 64, 16, 1000, false}, {1000, 50, 1, 333, false}, {300, 40, 1000, 517, true},
	} {
		set := newChurnSet(3, c.size, c.k, c.batch, c.dist)
		got := set.run(c.n)
		for _, p := range set.obj {
			got += mix64(binary.LittleEndian.Uint64(p))
			if len(p) < churnMin || uint64(len(p)) > c.size || (!c.dist && uint64(len(p)) != c.size) {
				t.Errorf("churn %+v: an object of %d B", c, len(p))
			}
		}
		var want uint64
		for j := uint64(1); j <= c.k+c.n; j++ {
			want += mix64(3<<40 + j)
		}
		if got != want || uint64(len(set.obj)) != c.k {
			t.Errorf("churn %+v: sink %d, want %d; %d live, want %d", c, got, want,
				len(set.obj), c.k)
		}
	}
}

// Every page is written: the byte read back at the moving page is the
// value of its operation, in both modes (computed here, not by the kernel).
func TestLargeSink(t *testing.T) {
	for _, size := range []uint64{16, 4096, 64 << 10, 1 << 20} {
		mk := largeSizes[size]
		for _, mode := range []string{"stack", "heap"} {
			const n = 40
			var want uint64
			for i := uint64(0); i < n; i++ {
				want += uint64(byte(i*131 + 5))
			}
			if got := mk(5)(mode, n); got != want {
				t.Errorf("large %s %d B: sink %d, want %d", mode, size, got, want)
			}
		}
	}
}

// The copy arrives: the sink of n operations is the sum of the bytes read
// back at the moving offset, computed here independently of the kernel.
func TestSmaugSink(t *testing.T) {
	const size, n = 1024, 500
	for _, mode := range []string{"stack", "heap"} {
		got := smaugSizes[size](7)(mode, n)
		var want uint64
		for i, probe := 0, 0; i < n; i++ {
			want += uint64(byte(probe*131 + 7))
			if probe += probeStep; probe >= size {
				probe -= size
			}
		}
		if got != want {
			t.Errorf("smaug %s: sink %d, want %d", mode, got, want)
		}
	}
}

func TestSizesArePowersOfTwo(t *testing.T) {
	for s := uint64(16); s <= 64<<20; s *= 2 {
		if smaugSizes[s] == nil {
			t.Errorf("no type for %d B", s)
		}
	}
	if len(smaugSizes) != 23 {
		t.Errorf("%d sizes, want 23 (16 B .. 64 MiB)", len(smaugSizes))
	}
}

// bench runs a kernel as contend's Go column does: b.N operations on one
// goroutine, or RunParallel on GOMAXPROCS goroutines (then ns/op is wall
// time over all goroutines' operations: the cross-check multiplies it by
// the goroutine count to compare with contend's per-thread ns/op). Every
// goroutine's kernel (its source value, churn's working set) is made
// before the timer starts, so -benchmem counts the operations alone, as
// contend's census does.
func bench(b *testing.B, mk func(int) kernel, mode string) {
	b.ReportAllocs()
	procs := runtime.GOMAXPROCS(0)
	ks := make([]kernel, procs)
	for i := range ks {
		ks[i] = mk(i)
	}
	b.ResetTimer()
	if procs == 1 {
		sinkAll += ks[0](mode, uint64(b.N))
		return
	}
	var next int32
	b.RunParallel(func(pb *testing.PB) {
		k := ks[int(atomic.AddInt32(&next, 1)-1)%procs]
		var s uint64
		for pb.Next() {
			s += k(mode, 1)
		}
		atomic.AddUint64(&sinkAll, s)
	})
}

var sinkAll uint64

func BenchmarkBilbo(b *testing.B) {
	for _, mode := range []string{"stack", "heap"} {
		b.Run("mode="+mode, func(b *testing.B) {
			bench(b, func(int) kernel { return bilboLoop }, mode)
		})
	}
}

func BenchmarkSmaug(b *testing.B) {
	for s := uint64(16); s <= 1<<20; s *= 2 {
		for _, mode := range []string{"stack", "heap"} {
			b.Run(fmt.Sprintf("mode=%s/size=%d", mode, s), func(b *testing.B) {
				bench(b, smaugSizes[s], mode)
			})
		}
	}
}

// BenchmarkChurn runs churn at its default parameters (k=4096, batch=256,
// dist=0) and sizes.
func BenchmarkChurn(b *testing.B) {
	for _, s := range []uint64{64, 1024, 16384} {
		b.Run(fmt.Sprintf("mode=heap/size=%d", s), func(b *testing.B) {
			bench(b, churnKernel(s, 4096, 256, false), "heap")
		})
	}
}

// BenchmarkLarge runs large at its default sizes.
func BenchmarkLarge(b *testing.B) {
	for _, s := range []uint64{1 << 10, 2 << 10, 32 << 10, 64 << 10, 128 << 10, 256 << 10,
		512 << 10, 1 << 20, 4 << 20} {
		for _, mode := range []string{"heap", "stack"} {
			b.Run(fmt.Sprintf("mode=%s/size=%d", mode, s), func(b *testing.B) {
				bench(b, largeSizes[s], mode)
			})
		}
	}
}
