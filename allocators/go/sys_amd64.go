// getcpu(2): not named by package syscall on this architecture.
package main

const sysGetcpu = 309
