import { TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../auth/AccountContext';
import { useRegionChildren } from './useRegionChildren';

interface Props {
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
}

/** Picks a region inside the signed-in user's scope; children load as nodes are opened. */
export function RegionTreeSelect({ value, onChange, placeholder, allowClear, id }: Props) {
  const { t } = useTranslation();
  const account = useAccount();
  const { children, load } = useRegionChildren();

  useEffect(() => {
    load(account.regionCode).catch(() => undefined);
  }, [account.regionCode, load]);

  const treeData = useMemo(() => {
    const nodes = [
      {
        id: account.regionCode,
        pId: '',
        value: account.regionCode,
        title: account.regionName,
        isLeaf: false,
      },
    ];
    for (const [parent, list] of Object.entries(children)) {
      for (const region of list) {
        nodes.push({
          id: region.code,
          pId: parent,
          value: region.code,
          title: region.name,
          isLeaf: region.childCount === 0,
        });
      }
    }
    return nodes;
  }, [account, children]);

  return (
    <TreeSelect
      id={id}
      treeDataSimpleMode
      treeData={treeData}
      value={value}
      onChange={(code) => onChange?.(code ?? undefined)}
      loadData={(node) => load(String(node.value))}
      treeDefaultExpandedKeys={[account.regionCode]}
      placeholder={placeholder ?? t('regions.pick')}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}
