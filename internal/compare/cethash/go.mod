module github.com/mvsgo/mvs/internal/compare/cethash

go 1.26.0

require github.com/mvsgo/mvs v0.0.0

require (
	github.com/edsrzf/mmap-go v1.2.0 // indirect
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/mvsgo/mvs => ../../..
