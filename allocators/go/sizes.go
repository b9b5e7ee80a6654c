// sizes.go — one Go type per smaug and large size: every power of two from
// 16 B to 64 MiB (the largest size contend accepts for either). Generics
// cannot take an array length, so the types are a table; other sizes are
// refused.
package main

type (
	S16B    [16]byte
	S32B    [32]byte
	S64B    [64]byte
	S128B   [128]byte
	S256B   [256]byte
	S512B   [512]byte
	S1KiB   [1024]byte
	S2KiB   [2048]byte
	S4KiB   [4096]byte
	S8KiB   [8192]byte
	S16KiB  [16384]byte
	S32KiB  [32768]byte
	S64KiB  [65536]byte
	S128KiB [131072]byte
	S256KiB [262144]byte
	S512KiB [524288]byte
	S1MiB   [1048576]byte
	S2MiB   [2097152]byte
	S4MiB   [4194304]byte
	S8MiB   [8388608]byte
	S16MiB  [16777216]byte
	S32MiB  [33554432]byte
	S64MiB  [67108864]byte
)

// smaugSizes maps a size in bytes to the kernel for its type.
var smaugSizes = map[uint64]func(thread int) kernel{
	16:       smaugKernel[S16B],
	32:       smaugKernel[S32B],
	64:       smaugKernel[S64B],
	128:      smaugKernel[S128B],
	256:      smaugKernel[S256B],
	512:      smaugKernel[S512B],
	1024:     smaugKernel[S1KiB],
	2048:     smaugKernel[S2KiB],
	4096:     smaugKernel[S4KiB],
	8192:     smaugKernel[S8KiB],
	16384:    smaugKernel[S16KiB],
	32768:    smaugKernel[S32KiB],
	65536:    smaugKernel[S64KiB],
	131072:   smaugKernel[S128KiB],
	262144:   smaugKernel[S256KiB],
	524288:   smaugKernel[S512KiB],
	1048576:  smaugKernel[S1MiB],
	2097152:  smaugKernel[S2MiB],
	4194304:  smaugKernel[S4MiB],
	8388608:  smaugKernel[S8MiB],
	16777216: smaugKernel[S16MiB],
	33554432: smaugKernel[S32MiB],
	67108864: smaugKernel[S64MiB],
}

// largeSizes maps a size in bytes to large's kernel for its type.
var largeSizes = map[uint64]func(thread int) kernel{
	16:       largeKernel[S16B],
	32:       largeKernel[S32B],
	64:       largeKernel[S64B],
	128:      largeKernel[S128B],
	256:      largeKernel[S256B],
	512:      largeKernel[S512B],
	1024:     largeKernel[S1KiB],
	2048:     largeKernel[S2KiB],
	4096:     largeKernel[S4KiB],
	8192:     largeKernel[S8KiB],
	16384:    largeKernel[S16KiB],
	32768:    largeKernel[S32KiB],
	65536:    largeKernel[S64KiB],
	131072:   largeKernel[S128KiB],
	262144:   largeKernel[S256KiB],
	524288:   largeKernel[S512KiB],
	1048576:  largeKernel[S1MiB],
	2097152:  largeKernel[S2MiB],
	4194304:  largeKernel[S4MiB],
	8388608:  largeKernel[S8MiB],
	16777216: largeKernel[S16MiB],
	33554432: largeKernel[S32MiB],
	67108864: largeKernel[S64MiB],
}
