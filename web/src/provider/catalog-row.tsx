import { SERVICE_CATEGORIES, type ServiceCategory } from '@domain/catalog';
import {
  Button,
  Checkbox,
  FieldError,
  Input,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  TextField,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { parseYuan } from '../ui/money';
import { addStandard, WHOLE_NUMBER, type ServiceDraft, type StandardDraft } from './catalog-draft';

export const SCOPE_LIST_ID = 'accredited-scope';
export const addStandardId = (row: ServiceDraft) => `add-standard-${row.key}`;

/** A field in a table cell: named by its column and row for assistive technology, its error beneath. */
function CellField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  validate?: (value: string) => string | null;
  inputMode?: 'numeric' | 'decimal';
  list?: string;
  autoFocus?: boolean;
}) {
  return (
    <TextField
      className="field cell-field"
      name={props.name}
      aria-label={props.label}
      value={props.value}
      onChange={props.onChange}
      validate={props.validate ? (v) => props.validate!(v) : undefined}
      validationBehavior="aria"
      autoFocus={props.autoFocus}
    >
      <Input inputMode={props.inputMode} list={props.list} autoComplete="off" />
      <FieldError className="field-error" />
    </TextField>
  );
}

/**
 * One service of the catalog as a table row. Numbers the page can check itself (an amount in yuan,
 * whole days and samples) say at once when they are not; once a save was tried, so does an empty one.
 */
export function ServiceRow(props: {
  row: ServiceDraft;
  index: number;
  onChange: (row: ServiceDraft) => void;
  onRemove: () => void;
  /** the key of a row or standard just added, which takes the focus */
  focusKey: string | null;
  onAddStandard: (row: ServiceDraft) => void;
  onRemoveStandard: (row: ServiceDraft, standard: StandardDraft) => void;
  attempted: boolean;
}) {
  const { t } = useTranslation();
  const { row, index } = props;
  const n = index + 1;
  const name = (field: string) => `services.${index}.${field}`;
  const label = (field: string, extra: object = {}) =>
    t(`provider.catalog.field.${field}`, { row: n, ...extra });
  const set = <K extends keyof ServiceDraft>(key: K, value: ServiceDraft[K]) =>
    props.onChange({ ...row, [key]: value });
  const required = (value: string) =>
    props.attempted && value.trim() === '' ? t('provider.catalog.required') : null;
  const whole = (value: string) =>
    required(value) ??
    (value.trim() === '' || WHOLE_NUMBER.test(value.trim()) ? null : t('provider.catalog.wholeNumber'));
  const amount = (value: string) =>
    required(value) ?? (value.trim() === '' || parseYuan(value) !== null ? null : t('ui.notAnAmount'));

  return (
    <tr data-row={n}>
      <th scope="row">{n}</th>
      <td>
        <CellField
          name={name('name')}
          label={label('name')}
          value={row.name}
          onChange={(v) => set('name', v)}
          autoFocus={props.focusKey === row.key}
        />
      </td>
      <td>
        <Select
          className="field cell-field"
          name={name('category')}
          aria-label={label('category')}
          selectedKey={row.category}
          onSelectionChange={(key) => key !== null && set('category', String(key) as ServiceCategory)}
          validationBehavior="aria"
        >
          <Button className="select-button">
            <SelectValue />
            <span aria-hidden="true">▾</span>
          </Button>
          <FieldError className="field-error" />
          <Popover>
            <ListBox className="listbox">
              {SERVICE_CATEGORIES.map((category) => (
                <ListBoxItem key={category} id={category} className="listbox-item">
                  {t(`category.${category}`)}
                </ListBoxItem>
              ))}
            </ListBox>
          </Popover>
        </Select>
      </td>
      <td>
        <ul className="standard-list">
          {row.standards.map((standard, j) => (
            <li key={standard.key}>
              <CellField
                name={name(`standards.${j}`)}
                label={label('standard', { n: j + 1 })}
                value={standard.code}
                list={SCOPE_LIST_ID}
                onChange={(code) =>
                  set(
                    'standards',
                    row.standards.map((s) => (s.key === standard.key ? { ...s, code } : s)),
                  )
                }
                autoFocus={props.focusKey === standard.key}
              />
              {row.standards.length > 1 ? (
                <Button
                  className="button secondary small"
                  aria-label={t('provider.catalog.removeStandardOf', { row: n, n: j + 1 })}
                  onPress={() => props.onRemoveStandard(row, standard)}
                >
                  {t('provider.catalog.removeStandard')}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        <Button
          id={addStandardId(row)}
          className="button secondary small"
          aria-label={t('provider.catalog.addStandardTo', { row: n })}
          onPress={() => props.onAddStandard(addStandard(row))}
        >
          {t('provider.catalog.addStandard')}
        </Button>
      </td>
      <td>
        <CellField
          name={name('unitPriceFen')}
          label={label('unitPrice')}
          inputMode="decimal"
          value={row.unitPrice}
          onChange={(v) => set('unitPrice', v)}
          validate={amount}
        />
      </td>
      <td>
        <CellField
          name={name('turnaroundDays')}
          label={label('turnaround')}
          inputMode="numeric"
          value={row.turnaroundDays}
          onChange={(v) => set('turnaroundDays', v)}
          validate={whole}
        />
      </td>
      <td>
        <CellField
          name={name('dailyCapacity')}
          label={label('capacity')}
          inputMode="numeric"
          value={row.dailyCapacity}
          onChange={(v) => set('dailyCapacity', v)}
          validate={whole}
        />
      </td>
      <td>
        <Checkbox
          className="checkbox"
          name={name('inScope')}
          aria-label={label('inScope')}
          isSelected={row.inScope}
          onChange={(v) => set('inScope', v)}
        >
          <span className="checkbox-box" aria-hidden="true" />
        </Checkbox>
      </td>
      <td>
        <Button
          className="button danger small"
          aria-label={t('provider.catalog.removeServiceOf', { row: n })}
          onPress={props.onRemove}
        >
          {t('provider.catalog.removeService')}
        </Button>
      </td>
    </tr>
  );
}

/** What the service said about a row as a whole (an id, its list of standards), beneath the row. */
export function RowProblems({
  index,
  issues,
}: {
  index: number;
  issues: { field: string; reason: string }[];
}) {
  const { t } = useTranslation();
  if (!issues.length) return null;
  return (
    <tr className="row-problem">
      <td colSpan={9}>
        <p className="field-error">
          {t('provider.catalog.rowProblem', { row: index + 1 })}
          {issues
            .map((issue) => `${issue.field.split('.').slice(2).join('.') || ''} ${issue.reason}`.trim())
            .join('; ')}
        </p>
      </td>
    </tr>
  );
}
