module contend/gochild

go 1.19
