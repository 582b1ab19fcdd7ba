// The account contracts people's accounts use on public chains, at their canonical addresses: the
// defaults of a network's configuration, and where the devnet lays its own copies. Kernel's come
// from the ZeroDev SDK itself; Biconomy's K1Validator and Rhinestone's Safe7579 adapter and
// launchpad are not exported by any installed SDK (permissionless keeps the K1Validator's as a
// private default, and takes Safe7579's as arguments), so they are written here once, with their
// source.
import type { Address } from 'viem';
import { entryPoint07Address } from 'viem/account-abstraction';
import { KernelVersionToAddressesMap } from '@zerodev/sdk/constants';
import { getValidatorAddress } from '@zerodev/ecdsa-validator';

const KERNEL = KernelVersionToAddressesMap['0.3.1'];

export const CANONICAL = {
  entryPoint: entryPoint07Address,
  kernel: {
    implementation: KERNEL.accountImplementationAddress,
    factory: KERNEL.factoryAddress,
    ownerValidator: getValidatorAddress({ address: entryPoint07Address, version: '0.7' }, '0.3.1'),
  },
  nexus: {
    // permissionless's toNexusSmartAccount default (BICONOMY_ADDRESSES.K1_VALIDATOR_ADDRESS), Nexus 1.0.
    ownerValidator: '0x00000004171351c442B202678c48D8AB5B321E8f' as Address,
  },
  safe: {
    // Rhinestone's Safe7579 v1.0 deployments (github.com/rhinestonewtf/safe7579, README "Deployments").
    safe7579: '0x7579EE8307284F293B1927136486880611F20002' as Address,
    launchpad: '0x7579011aB74c46090561ea277Ba79D510c6C00ff' as Address,
  },
} as const;
