// The small shapes every boundary spells the same way: addresses, hex, chain ids, as sent.
import { isAddress, type Address, type Hex } from 'viem';
import { z } from 'zod';

/** An address as a page sends it (checksum checked when mixed case). */
export const addressParam = z.string().refine((a) => isAddress(a), 'an address');
/** A chain id as EIP-3085/5792 send it: a 0x-hex quantity. */
export const hexChainIdParam = z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'a 0x-hex chain id');

/** What the wallet answers: it only ever writes well-formed addresses and hex. */
export const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/) as unknown as z.ZodType<Address, z.ZodTypeDef, string>;
export const hex = z.string().regex(/^0x[0-9a-fA-F]*$/) as unknown as z.ZodType<Hex, z.ZodTypeDef, string>;
export const hexQuantity = z.string().regex(/^0x[0-9a-fA-F]+$/) as unknown as z.ZodType<Hex, z.ZodTypeDef, string>;
