package main

import (
	"context"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
)

// Node is what the explorer reads from the chain: the subset of *rpcclient.Client it
// calls. It is an interface so that the handler tests can serve pages from a fixed chain
// without a node; the program and the browser test pass a real *rpcclient.Client.
type Node interface {
	GetHeight(ctx context.Context) (uint64, error)
	GetBlock(ctx context.Context, id rpcclient.BlockID) (*rpcclient.Block, error)
	GetBlockHeader(ctx context.Context, id rpcclient.BlockID) (*rpcclient.BlockHeader, error)
	GetRawBlock(ctx context.Context, id rpcclient.BlockID) ([]byte, error)
	GetTx(ctx context.Context, hash mvs.Hash) (*rpcclient.Tx, error)
	GetRawTx(ctx context.Context, hash mvs.Hash) ([]byte, error)
	GetAddressETP(ctx context.Context, addressOrDID string) (*rpcclient.AddressBalance, error)
	GetAddressAsset(ctx context.Context, addressOrDID, symbol string) ([]rpcclient.Asset, error)
	GetAddressAssetCerts(ctx context.Context, addressOrDID, symbol string) ([]rpcclient.AssetCert, error)
	ListTxs(ctx context.Context, q rpcclient.ListTxsParams) (*rpcclient.TxPage, error)
	GetAsset(ctx context.Context, symbol string) ([]rpcclient.Asset, error)
	GetAssetCerts(ctx context.Context, symbol string) ([]rpcclient.AssetCert, error)
	GetDID(ctx context.Context, didOrAddress string) ([]rpcclient.DIDRecord, error)
	GetMIT(ctx context.Context, symbol string) (*rpcclient.MIT, error)
	GetMITHistory(ctx context.Context, symbol string, index, limit uint64) ([]rpcclient.MIT, error)
}

var _ Node = (*rpcclient.Client)(nil)
