import { IsIn, IsOptional } from 'class-validator';

export class OutboxQuery {
  @IsOptional() @IsIn(['pending', 'sent', 'failed', 'cancelled']) status?: 'pending' | 'sent' | 'failed' | 'cancelled';
}
