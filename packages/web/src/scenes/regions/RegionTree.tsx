/** The region tree beside the detail: rooted at the person's own region, loaded level by level. */
import { Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useEffect, useMemo, useState } from 'react';
import type { Region } from '../../api/client';
import { useAccount } from '../../auth/AccountContext';
import { useRegionChildren } from '../../components/useRegionChildren';

interface Props {
  selected: string;
  /** In-scope ancestors of the selected region, to open the tree down to it. */
  path: Region[];
  onSelect(code: string): void;
}

export function RegionTree({ selected, path, onSelect }: Props) {
  const account = useAccount();
  const { children, load } = useRegionChildren();
  const [expanded, setExpanded] = useState<string[]>([account.regionCode]);

  useEffect(() => {
    const toOpen = [
      account.regionCode,
      ...path.filter((r) => r.inScope && r.code !== selected).map((r) => r.code),
    ];
    Promise.all(toOpen.map((code) => load(code)))
      .then(() => setExpanded((open) => [...new Set([...open, ...toOpen])]))
      .catch(() => undefined);
  }, [account.regionCode, path, selected, load]);

  const treeData = useMemo(() => {
    const build = (code: string, title: string, leaf: boolean): DataNode => ({
      key: code,
      title,
      isLeaf: leaf,
      children: children[code]?.map((child) => build(child.code, child.name, child.childCount === 0)),
    });
    return [build(account.regionCode, account.regionName, false)];
  }, [account, children]);

  return (
    <Tree
      treeData={treeData}
      selectedKeys={[selected]}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys.map(String))}
      loadData={(node) => load(String(node.key))}
      onSelect={(keys) => {
        const code = keys[0];
        if (code !== undefined) onSelect(String(code));
      }}
      blockNode
      data-testid="region-tree"
    />
  );
}
