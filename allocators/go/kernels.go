// kernels.go — the seed's Bilbo and SmaugScalingStrict kernels, as the seed
// wrote them in Go: real types, //go:noinline frame boundaries, and the copy
// or allocation the Go compiler emits for them.
//
// One operation, as in workloads/bilbo.c and workloads/smaug.c:
//
//	bilbo stack  bilboValue returns the 16 B struct by value (registers);
//	bilbo heap   bilboNew returns a pointer to it: it escapes, so `new`
//	             (zeroed, garbage collected) allocates 16 B per operation;
//	smaug stack  smaugByValue receives a [N]byte struct by value: the caller
//	             copies N bytes into the callee's argument area;
//	smaug heap   smaugToHeap allocates a T (escapes through the result) and
//	             copies the same N bytes into it;
//	control      the loop and the sink alone;
//	zeroed       the heap kernel: Go's `new` always returns zeroed memory
//	             (C's zeroed mode is calloc, to compare with this).
//
// Every operation folds a byte or a field into the sink, which the runner
// reports, so the compiler can delete neither the copy nor the allocation.
package main

import "unsafe"

type bilbo struct{ a, b int64 }

//go:noinline
func bilboValue(i int64) bilbo {
	return bilbo{i, i ^ 0x5bd1e995}
}

//go:noinline
func bilboNew(i int64) *bilbo {
	return &bilbo{i, i ^ 0x5bd1e995} // escapes: the pointer is the result
}

// probeStep moves the byte read back through the value, below the 16 B
// minimum size so one subtraction keeps it in range (as smaug.c does).
const probeStep = 13

// byteAt reads byte i of any value without copying it.
func byteAt[T any](v *T, i int) byte {
	return *(*byte)(unsafe.Add(unsafe.Pointer(v), i))
}

//go:noinline
func smaugByValue[T any](v T, probe int) byte {
	return byteAt(&v, probe)
}

//go:noinline
func smaugToHeap[T any](src *T) *T {
	p := new(T) // escapes: the pointer is the result
	*p = *src
	return p
}

func bilboLoop(mode string, iters uint64) (sink uint64) {
	switch mode {
	case "stack":
		for i := uint64(0); i < iters; i++ {
			v := bilboValue(int64(i))
			sink += uint64(v.a + v.b)
		}
	case "heap", "zeroed":
		for i := uint64(0); i < iters; i++ {
			p := bilboNew(int64(i))
			sink += uint64(p.a + p.b)
		}
	default:
		sink = controlLoop(iters)
	}
	return sink
}

//go:noinline
func controlLoop(iters uint64) (sink uint64) {
	for i := uint64(0); i < iters; i++ {
		sink += i
	}
	return sink
}

// smaugLoop runs one mode on the caller's value src of type T.
func smaugLoop[T any](mode string, src *T, iters uint64) (sink uint64) {
	n := int(unsafe.Sizeof(*src))
	probe := 0
	switch mode {
	case "stack":
		for i := uint64(0); i < iters; i++ {
			sink += uint64(smaugByValue(*src, probe))
			if probe += probeStep; probe >= n {
				probe -= n
			}
		}
	case "heap", "zeroed":
		for i := uint64(0); i < iters; i++ {
			p := smaugToHeap(src)
			sink += uint64(byteAt(p, probe))
			if probe += probeStep; probe >= n {
				probe -= n
			}
		}
	default:
		sink = controlLoop(iters)
	}
	return sink
}

// fill gives the source value distinct bytes per thread.
func fill[T any](src *T, seed int) {
	b := unsafe.Slice((*byte)(unsafe.Pointer(src)), unsafe.Sizeof(*src))
	for i := range b {
		b[i] = byte(i*131 + seed)
	}
}

// smaugKernel returns a kernel bound to one size type: it owns the
// thread's source value (allocated once, outside the timed loop).
func smaugKernel[T any](thread int) kernel {
	src := new(T)
	fill(src, thread)
	return func(mode string, iters uint64) uint64 {
		return smaugLoop(mode, src, iters)
	}
}
