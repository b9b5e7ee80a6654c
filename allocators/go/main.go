// main.go — contend's `go` column: a child that runs the seed's kernels on
// the Go runtime's own allocator and garbage collector.
//
// The parent starts it as it starts a C child (`PROG __child LABEL go -`,
// commands on fd 3, answers on fd 4; see src/measure/proto.h) and speaks the
// same protocol: a hello line naming the runtime, its version and the GC
// settings read back from the runtime, then one "R ..." answer per "P ..."
// point until "Q" or EOF. The parent appends "cpus=a,b,..." to each point:
// the PUs its placement planned (hwloc), which the workers pin to.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

const (
	cmdFD        = 3
	ansFD        = 4
	identityExit = 3
	maxParams    = 8
	goWorkloads  = "bilbo, smaug, churn and large"
)

func main() {
	if len(os.Args) < 4 || os.Args[1] != "__child" {
		fmt.Fprintln(os.Stderr, "contend-go: started by `contend run -a go`, not by hand")
		os.Exit(2)
	}
	in := bufio.NewReader(os.NewFile(cmdFD, "commands"))
	out := bufio.NewWriter(os.NewFile(ansFD, "answers"))
	live, err := os.Executable()
	if err != nil {
		live = os.Args[0]
	}
	tunables, why := checkTunables(os.Args[2])
	ok := 1
	if why != "" {
		ok = 0
	}
	fmt.Fprintf(out, "H ok=%d live=%s version=%s census=1 tunables=%s why=%s\n", ok, live,
		runtime.Version(), tunables, why)
	out.Flush()
	if ok == 0 {
		os.Exit(identityExit)
	}
	serve(in, out)
}

func serve(in *bufio.Reader, out *bufio.Writer) {
	clock := newProcClock()
	for {
		line, err := in.ReadString('\n')
		if err != nil || strings.HasPrefix(line, "Q") {
			return
		}
		p, err := parsePoint(line)
		var r *result
		if err == nil {
			r, err = runPoint(p, clock)
		}
		if err != nil {
			fmt.Fprintf(out, "R ok=0 err=%s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			out.WriteString(r.line())
		}
		out.Flush()
	}
}

// parsePoint reads "P wl mode size threads place bt_ns bt_iters hint census
// latency p0..p7 cpus=LIST".
func parsePoint(line string) (*point, error) {
	f := strings.Fields(line)
	if len(f) < 11+maxParams || f[0] != "P" {
		return nil, fmt.Errorf("malformed command")
	}
	var n [8]uint64
	for i, j := range []int{3, 4, 6, 7, 8, 9, 10} {
		v, err := strconv.ParseUint(f[j], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("malformed command")
		}
		n[i] = v
	}
	p := &point{wl: f[1], mode: f[2], size: n[0], threads: int(n[1]), btNs: n[2],
		btIters: n[3], hint: n[4], census: n[5] != 0}
	var err error
	if p.cpus, err = parseCPUs(f[11+maxParams:], f[5], p.threads); err != nil {
		return nil, err
	}
	if p.wl == "smaug" && f[11] != "0" { // smaug's p0: copy, 0 = compiler
		return nil, fmt.Errorf("go: smaug copy=memcpy has no Go meaning (a Go value is " +
			"copied as its compiler does)")
	}
	param := make([]uint64, maxParams)
	for i := range param {
		if param[i], err = strconv.ParseUint(f[11+i], 10, 64); err != nil {
			return nil, fmt.Errorf("malformed command")
		}
	}
	p.makeKernel, err = findKernel(p.wl, p.mode, p.size, param)
	return p, err
}

func parseCPUs(rest []string, place string, threads int) ([]int, error) {
	cpus := make([]int, 0, threads)
	for _, kv := range rest {
		if !strings.HasPrefix(kv, "cpus=") {
			continue
		}
		for _, c := range strings.Split(kv[5:], ",") {
			v, err := strconv.Atoi(c)
			if err != nil {
				return nil, fmt.Errorf("malformed cpus list %q", kv)
			}
			cpus = append(cpus, v)
		}
	}
	if len(cpus) == 0 && place == "none" {
		for i := 0; i < threads; i++ {
			cpus = append(cpus, -1)
		}
	}
	if len(cpus) != threads {
		return nil, fmt.Errorf("placement %s: %d PUs planned for %d threads", place,
			len(cpus), threads)
	}
	return cpus, nil
}

// findKernel refuses, by name, what has no Go meaning here; param holds
// the point's workload parameters in the order of the C workload's table.
func findKernel(wl, mode string, size uint64, param []uint64) (func(int) kernel, error) {
	modes := map[string]string{"bilbo": "stack heap zeroed control",
		"smaug": "stack heap zeroed control", "churn": "heap", "large": "heap stack"}
	if m, ok := modes[wl]; !ok {
		return nil, fmt.Errorf("go: runs %s only, not %s", goWorkloads, wl)
	} else if !strings.Contains(" "+m+" ", " "+mode+" ") {
		return nil, fmt.Errorf("go: %s has no mode %q", wl, mode)
	}
	switch wl {
	case "bilbo":
		return func(int) kernel { return bilboLoop }, nil
	case "churn": // k, batch, dist
		if size < churnMin || size > 1<<20 || param[0] == 0 || param[1] == 0 {
			return nil, fmt.Errorf("go: churn size %d B k=%d batch=%d out of range", size,
				param[0], param[1])
		}
		return churnKernel(size, param[0], param[1], param[2] == 1), nil
	}
	table := map[string]map[uint64]func(int) kernel{"smaug": smaugSizes, "large": largeSizes}
	if k, ok := table[wl][size]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("go: %s size %d B is not a Go type here (powers of two, "+
		"16 B to 64 MiB)", wl, size)
}
