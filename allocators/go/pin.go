// pin.go — the platform under the Go workers: pinning the calling OS thread
// to one PU, asking which PU it runs on, its resource usage. Raw system
// calls through the syscall package (standard library only), as topo.c
// does with hwloc for the C workers.
package main

import (
	"syscall"
	"unsafe"
)

const (
	rusageThread       = 1 // RUSAGE_THREAD
	clockProcCPUTime   = 2 // CLOCK_PROCESS_CPUTIME_ID
	clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
)

// cpuMask is a kernel cpu_set_t of 1024 CPUs.
type cpuMask [16]uint64

// bindSelf pins the calling OS thread (the goroutine must be locked to it)
// to PU cpu; 0 on success, else the errno value.
func bindSelf(cpu int) int {
	if cpu < 0 {
		return 0
	}
	if cpu >= 1024 {
		return int(syscall.EINVAL)
	}
	var m cpuMask
	m[cpu/64] |= 1 << (uint(cpu) % 64)
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(m),
		uintptr(unsafe.Pointer(&m)))
	return int(e)
}

// currentCPU is sched_getcpu(): the PU the calling thread runs on, or -1.
func currentCPU() int {
	var cpu uint32
	_, _, e := syscall.RawSyscall(sysGetcpu, uintptr(unsafe.Pointer(&cpu)), 0, 0)
	if e != 0 {
		return -1
	}
	return int(cpu)
}

// threadUsage fills ru with the calling thread's resource usage.
func threadUsage(ru *syscall.Rusage) {
	syscall.RawSyscall(syscall.SYS_GETRUSAGE, rusageThread, uintptr(unsafe.Pointer(ru)), 0)
}

// threadCPUNs is clock_gettime(CLOCK_THREAD_CPUTIME_ID): the calling
// thread's CPU time, ns (ct_thread_cpu_ns() of window.c).
func threadCPUNs() int64 { return cpuClockNs(clockThreadCPUTime) }

// procCPUNs is the CPU time of all the process's threads, ns.
func procCPUNs() int64 { return cpuClockNs(clockProcCPUTime) }

func cpuClockNs(clock uintptr) int64 {
	var ts syscall.Timespec
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clock, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

// peakRSSKiB is the process's peak resident set so far.
func peakRSSKiB() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss)
}

// schedStat reads the calling thread's run-queue wait from
// /proc/thread-self/schedstat ("cpu_ns wait_ns slices"): the time it was
// ready to run and the kernel ran something else. The file is opened once
// by the worker's own (locked) thread; pread into a fixed buffer keeps the
// reading free of heap allocations, which a census round would count.
type schedStat struct {
	fd  int
	buf [96]byte
}

func openSchedStat() *schedStat {
	fd, err := syscall.Open("/proc/thread-self/schedstat", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return &schedStat{fd: -1}
	}
	return &schedStat{fd: fd}
}

// waitNs is the thread's run-queue wait so far, or -1 when unknown.
func (s *schedStat) waitNs() int64 {
	if s.fd < 0 {
		return -1
	}
	n, err := syscall.Pread(s.fd, s.buf[:], 0)
	if err != nil || n <= 0 {
		return -1
	}
	field, v, digits := 0, int64(0), 0
	for _, c := range s.buf[:n] {
		switch {
		case c >= '0' && c <= '9':
			v, digits = v*10+int64(c-'0'), digits+1
		case digits > 0:
			if field == 1 {
				return v
			}
			field, v, digits = field+1, 0, 0
		}
	}
	return -1
}

func (s *schedStat) close() {
	if s.fd >= 0 {
		syscall.Close(s.fd)
	}
}
