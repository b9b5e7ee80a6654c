// large.go — workloads/large.c in Go: a SIZE-byte block, one write per
// page and one to its last byte, from the heap or in a callee's frame.
//
// One operation:
//
//	heap   largeHeap makes a SIZE-byte slice (a run-time size: always the
//	       heap, zeroed by the runtime unless its span came fresh from the
//	       OS), writes every page, hands it back; the caller reads the byte
//	       at a moving page and drops it (1 alloc/op, SIZE B/op);
//	stack  largeFrame[T] writes the same pages of a local T ([SIZE]byte)
//	       and reads the same byte back (0 allocs/op while Go keeps the
//	       value on the goroutine stack: up to 10 MiB; larger locals move
//	       to the heap, and the census shows it).
//
// Unlike C's uninitialised frame, Go zeroes every local: its stack mode
// clears SIZE bytes per operation before the writes, as Go code would.
// Sizes are types, as for smaug: powers of two from 16 B to 64 MiB.
package main

import (
	"os"
	"unsafe"
)

// touch writes v once per page of p and to its last byte. Not inlined: its
// writes cannot be dropped for a block only one byte of which is read.
//
//go:noinline
func touch(p []byte, page int, v byte) {
	for off := 0; off < len(p); off += page {
		p[off] = v
	}
	p[len(p)-1] = v
}

//go:noinline
func largeHeap(n, page int, v byte) []byte {
	p := make([]byte, n) // escapes: the block is the result
	touch(p, page, v)
	return p
}

//go:noinline
func largeFrame[T any](page int, v byte, probe int) byte {
	var frame T
	b := unsafe.Slice((*byte)(unsafe.Pointer(&frame)), unsafe.Sizeof(frame))
	touch(b, page, v)
	return b[probe]
}

// largeKernel runs both modes for the type T of one size.
func largeKernel[T any](thread int) kernel {
	var t *T // unsafe.Sizeof does not evaluate it: no T is made here
	n, page := int(unsafe.Sizeof(*t)), os.Getpagesize()
	return func(mode string, iters uint64) (sink uint64) {
		probe := 0
		for i := uint64(0); i < iters; i++ {
			v := byte(i*131 + uint64(thread))
			if mode == "stack" {
				sink += uint64(largeFrame[T](page, v, probe))
			} else {
				sink += uint64(largeHeap(n, page, v)[probe])
			}
			if probe += page; probe >= n {
				probe = 0
			}
		}
		return sink
	}
}
