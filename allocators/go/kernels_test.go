// kernels_test.go — the same kernels under Go's own harness: proofs that
// the stack kernels do not allocate and the heap ones do (once per op, the
// size of the type), and the benchmarks scripts/go-crosscheck.sh runs with
// `go test -bench -benchmem -cpu 1,2` beside contend's go column.
package main

import (
	"fmt"
	"runtime"
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
// the goroutine count to compare with contend's per-thread ns/op).
func bench(b *testing.B, mk func(int) kernel, mode string) {
	b.ReportAllocs()
	if runtime.GOMAXPROCS(0) == 1 {
		k := mk(0)
		b.ResetTimer()
		sinkAll += k(mode, uint64(b.N))
		return
	}
	b.RunParallel(func(pb *testing.PB) {
		k := mk(1)
		var s uint64
		for pb.Next() {
			s += k(mode, 1)
		}
		sinkAll += s
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
