package wire

import (
	"encoding/binary"
	"net/netip"

	"github.com/mvsgo/mvs/internal/codec"
)

// NetAddress is the reference's network_address: services, a 16-byte IPv6 address (IPv4 as
// ::ffff:a.b.c.d) and a big-endian port; inside addr it is preceded by a u32 timestamp.
// 26 bytes without the timestamp (version), 30 with (addr).
type NetAddress struct {
	// Timestamp (Unix seconds) is on the wire only inside addr; version ignores it.
	Timestamp uint32     `json:"timestamp,omitempty"`
	Services  uint64     `json:"services"`
	IP        netip.Addr `json:"ip"`
	Port      uint16     `json:"port"`
}

// Sizes of a net_addr.
const (
	netAddressSize              = 26
	netAddressSizeWithTimestamp = 30
)

// NewNetAddress returns an address for ap with the given services; an IPv4 address is
// stored as IPv4-mapped IPv6, as on the wire.
func NewNetAddress(ap netip.AddrPort, services uint64) NetAddress {
	return NetAddress{Services: services, IP: netip.AddrFrom16(ap.Addr().As16()), Port: ap.Port()}
}

// AddrPort is the address and port (an IPv4-mapped address unmapped).
func (na *NetAddress) AddrPort() netip.AddrPort {
	return netip.AddrPortFrom(na.IP.Unmap(), na.Port)
}

func (na *NetAddress) appendTo(b []byte, withTimestamp bool) []byte {
	if withTimestamp {
		b = binary.LittleEndian.AppendUint32(b, na.Timestamp)
	}
	b = binary.LittleEndian.AppendUint64(b, na.Services)
	ip := na.IP.As16() // the zero Addr gives 16 zero bytes
	b = append(b, ip[:]...)
	return binary.BigEndian.AppendUint16(b, na.Port)
}

func (na *NetAddress) decodeFrom(r *codec.Reader, field string, withTimestamp bool) error {
	var err error
	na.Timestamp = 0
	if withTimestamp {
		if na.Timestamp, err = r.Uint32LE(field + ".timestamp"); err != nil {
			return err
		}
	}
	if na.Services, err = r.Uint64LE(field + ".services"); err != nil {
		return err
	}
	var ip [16]byte
	if err = r.Fixed(ip[:], field+".ip"); err != nil {
		return err
	}
	na.IP = netip.AddrFrom16(ip)
	var port [2]byte
	if err = r.Fixed(port[:], field+".port"); err != nil {
		return err
	}
	na.Port = binary.BigEndian.Uint16(port[:])
	return nil
}
